using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Findings;

/// <summary>
/// The content hash of each stored copy of a set, by code and scope: what tells a reader of a finding whether the set it
/// was judged by (its evidence's <c>resolution</c>, <c>scope</c> and <c>setVersion</c>) is still the one stored, or was
/// imported again since (the replaced copy, and its texts, are not kept). With them, how a sentence names each stored set
/// and its targets (<see cref="Resolution.NameInText"/>, the targets' short names), as the report names them: an
/// explanation says "chỉ tiêu 6b (…)" and "bộ chỉ tiêu theo Nghị quyết 02-NQ/TU", not the codes.
/// </summary>
public sealed class StoredSetVersions
{
    private readonly Dictionary<(string Code, string Scope), Stored> _sets;

    private sealed record Stored(string Hash, string Name, IReadOnlyDictionary<string, Target> Targets);

    private StoredSetVersions(Dictionary<(string, string), Stored> sets) => _sets = sets;

    public static async Task<StoredSetVersions> LoadAsync(QcdcDbContext db, CancellationToken ct)
    {
        var rows = await db.Resolutions.AsNoTracking().Select(r => new { r.Id, r.Code, r.ScopeAreaCode, r.ContentHash, r.Title, r.ShortTitle }).ToListAsync(ct);
        // A set's few targets (tens in all): each code's setting with a short name, the latest first.
        var targets = (await db.Targets.AsNoTracking().ToListAsync(ct)).ToLookup(t => t.ResolutionId);
        return new StoredSetVersions(rows.ToDictionary(r => (r.Code, r.ScopeAreaCode ?? Import.TargetSetImporter.National), r => new Stored(r.ContentHash,
            r.ShortTitle ?? r.Title,
            targets[r.Id].GroupBy(t => t.Code, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.OrderByDescending(t => t.NameVi is not null).ThenByDescending(t => t.ValidFrom).First(), StringComparer.Ordinal))));
    }

    /// <summary>
    /// Whether the copy the evidence names is no longer stored as it was when judged; false for an evidence that names no
    /// set version (the reporting target, findings stored before versions were kept).
    /// </summary>
    public bool ReplacedSince(JsonObject evidence) =>
        evidence["setVersion"]?.GetValue<string>() is { } judgedBy
        && evidence["resolution"]?.GetValue<string>() is { } code
        && evidence["scope"]?.GetValue<string>() is { } scope
        && (!_sets.TryGetValue((code, scope), out var stored) || stored.Hash != judgedBy);

    /// <summary>
    /// The set the evidence names as a sentence names it ("Nghị quyết 02-NQ/TU", "Chỉ tiêu theo dõi của Ban Chỉ đạo
    /// tỉnh"): its copy of that scope, else another stored copy of the code; null when none is stored any more.
    /// </summary>
    public string? SetName(JsonObject evidence) => SetOf(evidence)?.Name;

    /// <summary>
    /// The stored target a finding is of, for its names: from the set the evidence names, else from any stored set that
    /// defines the code (the reporting target's evidence names none); null when none does any more.
    /// </summary>
    public Target? TargetOf(string code, JsonObject evidence) =>
        SetOf(evidence)?.Targets.GetValueOrDefault(code)
        ?? _sets.Values.Select(s => s.Targets.GetValueOrDefault(code)).FirstOrDefault(t => t is not null);

    private Stored? SetOf(JsonObject evidence)
    {
        if (evidence["resolution"]?.GetValue<string>() is not { } code)
            return null;
        return evidence["scope"]?.GetValue<string>() is { } scope && _sets.TryGetValue((code, scope), out var stored)
            ? stored
            : _sets.Where(s => s.Key.Code == code).Select(s => s.Value).FirstOrDefault();
    }
}
