using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Findings;

/// <summary>Target codes as the sets spell them ("NQ02-6b"), found whatever the case a reader types.</summary>
public static class TargetCodes
{
    /// <param name="mayKnowSet">
    /// Given a set's scope code (null: national), whether the asker may know the set: a code only sets it may not know
    /// define reads as unknown, as a code no set defines. Null: every set.
    /// </param>
    public static async Task<string?> CanonicalAsync(QcdcDbContext db, string typed, CancellationToken ct, Func<string?, bool>? mayKnowSet = null)
    {
        var wanted = typed.Trim();
        if (string.Equals(wanted, ReportingTarget.Code, StringComparison.OrdinalIgnoreCase))
            return ReportingTarget.Code;
        var upper = wanted.ToUpperInvariant();
        var codes = await db.Targets.AsNoTracking().Select(t => new { t.Code, t.Resolution!.ScopeAreaCode }).Distinct().ToListAsync(ct);
        return codes.FirstOrDefault(c => c.Code.ToUpperInvariant() == upper && (mayKnowSet is null || mayKnowSet(c.ScopeAreaCode)))?.Code;
    }
}

/// <summary>The stored targets as readers show them: one setting per code, the one in force for a period.</summary>
public static class TargetSettings
{
    /// <summary>
    /// For each target code, the setting in force on the period's last day (without a period, the latest setting).
    /// Where provinces adopted the same set, the copies read alike; one of them stands for the code.
    /// </summary>
    public static async Task<Dictionary<string, Domain.Target>> InForceAsync(QcdcDbContext db, Domain.Period? period, CancellationToken ct)
    {
        // With their sets: a reader is told the set's number as its title writes it.
        var rows = (await TargetSetRows.ResolutionsAsync(db, targets: true, ct)).SelectMany(r => r.Targets);
        return rows.GroupBy(t => t.Code)
            .ToDictionary(g => g.Key, g => (period is null ? null : g.FirstOrDefault(t => t.InForceFor(period)))
                                           ?? g.OrderByDescending(t => t.ValidFrom ?? DateOnly.MinValue).First());
    }
}
