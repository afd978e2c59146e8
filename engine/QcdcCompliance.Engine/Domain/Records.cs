namespace QcdcCompliance.Domain;

/// <summary>
/// Reference data that people and files name by a code (an area, a unit, a period, an indicator); <see cref="Id"/> is
/// the database's, what other rows refer to.
/// </summary>
public abstract class Coded
{
    public int Id { get; set; }
    public required string Code { get; set; }
}

/// <summary>Whose value of what, when: the (unit, period, indicator) a stored value and each change of it are about.</summary>
public abstract class ValueKey
{
    public int UnitId { get; set; }
    public int PeriodId { get; set; }
    public int IndicatorId { get; set; }
}

/// <summary>
/// What a run records of one target over its (period, scope): a <see cref="Finding"/> or an <see cref="AreaResult"/>.
/// Versioned: a run writes the rows that changed, and a row stands for its run and every later run of its period and
/// scope until <see cref="SupersededByRunId"/>.
/// </summary>
public abstract class RunRecord
{
    public long Id { get; set; }
    public long RunId { get; set; }
    public int PeriodId { get; set; }
    public int ScopeAreaId { get; set; }
    public required string TargetCode { get; set; }

    /// <summary>Set once, when a later run records a newer version of the same key. Not part of the chained hash.</summary>
    public long? SupersededByRunId { get; set; }

    /// <summary>Whether run <paramref name="runId"/> of its (period, scope) stood on this row: written by it or before it, superseded only after it (<see cref="RunRecords.AsOf{T}"/>).</summary>
    public bool StoodAt(long runId) => RunId <= runId && (SupersededByRunId is not { } by || by > runId);
}

/// <summary>
/// An act of the committee (a finding acknowledged or waived, an area's period signed off or reopened): who, when, and
/// its link of the audit chain. Append-only.
/// </summary>
public abstract class CommitteeAct
{
    public long Id { get; set; }
    public required string By { get; set; }
    public DateTime At { get; set; }
    public long ChainSequence { get; set; }
    public required string PreviousHash { get; set; }
    public required string Hash { get; set; }

    /// <summary>
    /// Who acted, as a person reads it: the key's name out of the principal's log form (<c>apikey:3 "Ban Chỉ đạo huyện
    /// Nghi Xuân" committee@HT-D04</c> gives <c>Ban Chỉ đạo huyện Nghi Xuân</c>); the whole when it has no quoted name
    /// (an operator at the command line).
    /// </summary>
    public static string NameOf(string by)
    {
        var (first, last) = (by.IndexOf('"', StringComparison.Ordinal), by.LastIndexOf('"'));
        return first >= 0 && last > first + 1 ? by[(first + 1)..last] : by;
    }
}

/// <summary>Reading what runs recorded.</summary>
public static class RunRecords
{
    /// <summary>The rows of a (period, scope) that no later run superseded: what the latest run of that period and scope stands on.</summary>
    public static IQueryable<T> Unsuperseded<T>(this IQueryable<T> rows, int periodId, int scopeAreaId) where T : RunRecord =>
        rows.Where(r => r.PeriodId == periodId && r.ScopeAreaId == scopeAreaId && r.SupersededByRunId == null);

    /// <summary>The rows of a (period, scope) that run <paramref name="runId"/> of it stood on: written by it or an earlier run, superseded by none or only by a later one.</summary>
    public static IQueryable<T> AsOf<T>(this IQueryable<T> rows, int periodId, int scopeAreaId, long runId) where T : RunRecord =>
        rows.Where(r => r.PeriodId == periodId && r.ScopeAreaId == scopeAreaId && r.RunId <= runId && (r.SupersededByRunId == null || r.SupersededByRunId > runId));
}
