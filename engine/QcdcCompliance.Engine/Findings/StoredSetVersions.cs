using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Findings;

/// <summary>
/// The content hash of each stored copy of a set, by code and scope: what tells a reader of a finding whether the set it
/// was judged by (its evidence's <c>resolution</c>, <c>scope</c> and <c>setVersion</c>) is still the one stored, or was
/// imported again since (the replaced copy, and its texts, are not kept).
/// </summary>
public sealed class StoredSetVersions
{
    private readonly Dictionary<(string Code, string Scope), string> _hashes;

    private StoredSetVersions(Dictionary<(string, string), string> hashes) => _hashes = hashes;

    public static async Task<StoredSetVersions> LoadAsync(QcdcDbContext db, CancellationToken ct)
    {
        var rows = await db.Resolutions.AsNoTracking().Select(r => new { r.Code, r.ScopeAreaCode, r.ContentHash }).ToListAsync(ct);
        return new StoredSetVersions(rows.ToDictionary(r => (r.Code, r.ScopeAreaCode ?? Import.TargetSetImporter.National), r => r.ContentHash));
    }

    /// <summary>
    /// Whether the copy the evidence names is no longer stored as it was when judged; false for an evidence that names no
    /// set version (the reporting target, findings stored before versions were kept).
    /// </summary>
    public bool ReplacedSince(JsonObject evidence) =>
        evidence["setVersion"]?.GetValue<string>() is { } judgedBy
        && evidence["resolution"]?.GetValue<string>() is { } code
        && evidence["scope"]?.GetValue<string>() is { } scope
        && (!_hashes.TryGetValue((code, scope), out var stored) || stored != judgedBy);
}
