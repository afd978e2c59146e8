using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Findings;

/// <summary>Target codes as the sets spell them ("NQ02-6b"), found whatever the case a reader types.</summary>
public static class TargetCodes
{
    /// <summary>
    /// The stored spelling of a typed target code, or null when no set defines it. With <paramref name="mayKnowSet"/>
    /// (given a set's scope code, null for national), a code only sets the asker may not know define reads as unknown
    /// too: that another province's set defines a code is not the asker's to learn from the answer.
    /// </summary>
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
        return rows.GroupBy(t => t.Code).ToDictionary(g => g.Key, g => InForce(g, period)!);
    }

    /// <summary>
    /// Of the settings of one code (with their sets), the one that judged the period as the run binds it (FactLoader): of
    /// a set in force on its last day, the setting in force then; otherwise (no period, or none in force) the latest, by
    /// its own start or its set's. A setting's own dates alone had shown a set replaced on 1 July with the same codes
    /// beside its successor's verdicts: its thresholds and texts have no dates of their own, so they read as always in force.
    /// </summary>
    public static Domain.Target? InForce(IEnumerable<Domain.Target> settings, Domain.Period? period)
    {
        var all = settings as IReadOnlyCollection<Domain.Target> ?? settings.ToList();
        return (period is null ? null : all.FirstOrDefault(t => (t.Resolution?.AppliesTo(period) ?? true) && t.InForceFor(period)))
               ?? all.OrderByDescending(t => t.ValidFrom ?? t.Resolution?.ValidFrom ?? DateOnly.MinValue).FirstOrDefault();
    }
}
