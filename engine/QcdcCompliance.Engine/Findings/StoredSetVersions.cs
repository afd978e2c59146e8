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
    private readonly IReadOnlyDictionary<string, Period> _periods;

    /// <param name="Settings">Every setting of the copy, with the copy as its set (what <see cref="JudgedBy(FindingView)"/> picks from).</param>
    private sealed record Stored(string Hash, string Name, IReadOnlyDictionary<string, Target> Targets, IReadOnlyList<Target> Settings);

    private StoredSetVersions(Dictionary<(string, string), Stored> sets, IReadOnlyDictionary<string, Period> periods) => (_sets, _periods) = (sets, periods);

    public static async Task<StoredSetVersions> LoadAsync(QcdcDbContext db, CancellationToken ct)
    {
        // A set's few targets (tens in all), each with its set: each code's setting with a short name, the latest first.
        var rows = await TargetSetRows.ResolutionsAsync(db, targets: true, ct);
        var periods = await db.Periods.AsNoTracking().ToDictionaryAsync(p => p.Code, StringComparer.Ordinal, ct);
        return new StoredSetVersions(rows.ToDictionary(r => (r.Code, r.ScopeAreaCode ?? Import.TargetSetImporter.National), r => new Stored(r.ContentHash,
            r.ShortTitle ?? r.Title,
            r.Targets.GroupBy(t => t.Code, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.OrderByDescending(t => t.NameVi is not null).ThenByDescending(t => t.ValidFrom).First(), StringComparer.Ordinal),
            r.Targets)), periods);
    }

    /// <summary>
    /// The setting a finding was judged by, whose texts (and set title) its explanation quotes: of the copy of the set its
    /// evidence names (code, scope and version), the setting of its target in force in its period, as the run bound it
    /// (<see cref="TargetSettings.InForce"/>). Null where the evidence names no set (the reporting target) or that copy is
    /// not stored any more (imported again since, or removed): no other set's setting, nor today's, stands for it (a set
    /// replaced on 1 July by another of the same target codes had quoted the other's "70%" beside a verdict against 60%).
    /// explain, the API and the pages all take the texts from here.
    /// </summary>
    public Target? JudgedBy(FindingView finding) =>
        finding.Evidence.Length > 0 && JsonNode.Parse(finding.Evidence) is JsonObject evidence ? JudgedBy(finding.TargetCode, finding.Period, evidence) : null;

    /// <summary>The setting a finding of the target and period with this evidence was judged by (see the other overload).</summary>
    public Target? JudgedBy(string targetCode, string period, JsonObject evidence) =>
        ReplacedSince(evidence) || SetOf(evidence) is not { } set
            ? null
            : TargetSettings.InForce(set.Settings.Where(t => t.Code == targetCode), _periods.GetValueOrDefault(period));

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
