using System.Globalization;
using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Import;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Findings;

/// <summary>
/// The verdicts of a signed-off (area, period) are locked with its inputs: values, units, places and targets are refused
/// at import (<see cref="SignOffLocks"/>), so a run of the period finds what the signed run found, unless the rules
/// themselves changed (a new build). Such a run is refused whole, naming the sign-off and what it would change, rather
/// than changing under the committee the findings, area figures and report it signed; the rest of the period waits with
/// it, since one run judges a province. A verdict is a finding opened or resolved, a finding's severity or measurement,
/// and an area's figures and status, of the signed area or an area or unit inside it on the period's last day; a
/// finding's wording may change, as a target's may.
/// </summary>
internal sealed class SignedVerdicts
{
    private readonly SignOffLocks _locks;
    private readonly IReadOnlyList<SignOff> _signed;
    private readonly AreaTree _tree;
    private readonly Period _period;
    private readonly IReadOnlyDictionary<string, Target> _targets;

    private SignedVerdicts(SignOffLocks locks, IReadOnlyList<SignOff> signed, AreaTree tree, Period period, IReadOnlyDictionary<string, Target> targets) =>
        (_locks, _signed, _tree, _period, _targets) = (locks, signed, tree, period, targets);

    /// <summary>The sign-offs in force for the period, or null for none (nearly every run: one count, by plain SQL).</summary>
    public static async Task<SignedVerdicts?> InForceAsync(QcdcDbContext db, Period period, CancellationToken ct)
    {
        var rows = await PlainSql.ScalarAsync(db, """SELECT COUNT(*) FROM "SignOffs" WHERE "PeriodId" = @p0""", ct, period.Id);
        if (Convert.ToInt64(rows, CultureInfo.InvariantCulture) == 0)
            return null;
        var tree = await db.LoadAreaTreeAsync(ct);
        var locks = await SignOffLocks.InForceAsync(db, tree, [period], ct);
        var signed = locks.SignedOff(period);
        if (signed.Count == 0)
            return null;
        // The targets by code, to name them in words (<see cref="TargetNames"/>): of a code several sets define, one in force for the period.
        var targets = (await db.Targets.AsNoTracking().Include(t => t.Resolution).ToListAsync(ct))
            .GroupBy(t => t.Code, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(t => t.Resolution?.AppliesTo(period) == true).First(), StringComparer.Ordinal);
        return new SignedVerdicts(locks, signed, tree, period, targets);
    }

    /// <summary>Throws <see cref="SignedPeriodRunException"/> when the run would change a verdict of a signed-off area.</summary>
    /// <param name="rewritten">Each finding still open that the run writes again (its wording or its measure changed), with the row it supersedes.</param>
    /// <param name="areas">Each area figure the run writes, with the row it supersedes (null for a new one).</param>
    /// <param name="dropped">The area figures the run no longer computes.</param>
    public void Check(RunInput input, IReadOnlyList<FindingDraft> fresh, IReadOnlyList<Finding> resolved, IEnumerable<(Finding Row, Finding Stored)> rewritten,
        IEnumerable<(AreaResult Row, AreaResult? Stored)> areas, IEnumerable<AreaResult> dropped)
    {
        var changes = new Dictionary<SignOff, List<string>>();
        var targets = new Dictionary<SignOff, SortedSet<string>>();
        void Note(SignOff? signOff, string change, string target)
        {
            if (signOff is null)
                return;
            if (!changes.TryGetValue(signOff, out var list))
            {
                changes[signOff] = list = [];
                targets[signOff] = new SortedSet<string>(StringComparer.Ordinal);
            }

            list.Add($"{Named(target)} of {change}");
            targets[signOff].Add(target);
        }

        SignOff? OfSubject(SubjectType type, int id) => type == SubjectType.Unit
            ? input.Report(id)?.Unit.Path is { Count: > 0 } path ? Within(path.Select(a => a.Id)) : Within([input.Scope.Id])
            : OfArea(id);

        foreach (var draft in fresh)
            Note(OfSubject(draft.SubjectType, draft.SubjectId), $"{draft.SubjectCode} (a new finding)", draft.TargetCode);
        foreach (var row in resolved)
            Note(OfSubject(row.SubjectType, row.SubjectId), $"{row.SubjectCode} (resolved)", row.TargetCode);
        foreach (var (row, stored) in rewritten)
        {
            if (stored.Severity != row.Severity || stored.Measurement != row.Measurement)
                Note(OfSubject(row.SubjectType, row.SubjectId), $"{row.SubjectCode} (measured otherwise)", row.TargetCode);
        }

        foreach (var (row, stored) in areas)
        {
            Note(OfArea(row.AreaId), stored is null
                ? $"{AreaCode(row.AreaId)} (a new figure: {Word(row.Status)})"
                : stored.Status != row.Status
                    ? $"{AreaCode(row.AreaId)} ({Word(stored.Status)} → {Word(row.Status)})"
                    : $"{AreaCode(row.AreaId)} (its figures)", row.TargetCode);
        }

        foreach (var stored in dropped)
            Note(OfArea(stored.AreaId), $"{AreaCode(stored.AreaId)} (no longer judged)", stored.TargetCode);

        if (changes.Count == 0)
            return;
        var (signOff, list) = changes.OrderBy(c => c.Key.Id).First();
        const int Listed = 5;
        var words = list.Count == 1 ? list[0]
            : $"{list.Count} verdicts: {string.Join(", ", list.Take(Listed))}{(list.Count > Listed ? $" and {list.Count - Listed} more" : "")}";
        throw new SignedPeriodRunException(_locks.RunRefusal(signOff, _period, words), RefusalVi(signOff, list.Count, targets[signOff]));
    }

    /// <summary>
    /// The refusal in Vietnamese, as the command line says it first and the API's <c>messageVi</c>: which sign-off (the
    /// period signed, or the year that reads it), who and when in Viet Nam time, how many verdicts would change, how to reopen.
    /// </summary>
    private string RefusalVi(SignOff signOff, int changes, IEnumerable<string> targets)
    {
        var area = _tree[signOff.AreaId];
        var signed = signOff.PeriodId == _period.Id ? _period.Code : _period.Year.ToString(CultureInfo.InvariantCulture);
        var at = VietnamTime.Local(signOff.At).ToString("HH:mm 'ngày' dd/MM/yyyy", CultureInfo.InvariantCulture);
        // The codes, not the words of the period and the area: Findings comes before Reports, which words them (NamespaceDependencyTests).
        return $"số liệu kỳ {signed} của {area.Name} ({area.Code}) đã được {CommitteeAct.NameOf(signOff.By)} ký duyệt lúc {at} (giờ Việt Nam), "
               + $"nên kết quả đánh giá đã bị khóa: lần đánh giá này sẽ làm thay đổi {changes} kết quả đã ký duyệt (theo {string.Join(", ", targets.Select(t => $"chỉ tiêu “{TargetNames.Of(_targets.GetValueOrDefault(t), t, english: false)}” ({t})"))}), nên không có gì được lưu. "
               + $"Muốn đánh giá lại, thành viên Ban Chỉ đạo của {area.Name} mở lại kỳ {signed} kèm lý do trước "
               + $"(qcdc signoff reopen --period {signed} --area {area.Code} --reason \"...\"), rồi đánh giá lại {_period.Code}";
    }

    private SignOff? OfArea(int areaId) => _tree.Find(areaId) is not null ? Within(_tree.PathOn(areaId, _period.End).Select(a => a.Id)) : null;

    /// <summary>The sign-off of an area on the path (the subject's own area first, up to its province), or null.</summary>
    private SignOff? Within(IEnumerable<int> path)
    {
        foreach (var id in path)
        {
            if (_signed.FirstOrDefault(s => s.AreaId == id) is { } signOff)
                return signOff;
        }

        return null;
    }

    /// <summary>A target as the English refusal names it: “Mediation success rate” (KPI-MEDIATION), by <see cref="TargetNames"/>.</summary>
    private string Named(string code) => $"“{TargetNames.Of(_targets.GetValueOrDefault(code), code, english: true)}” ({code})";

    private string AreaCode(int areaId) => _tree.Find(areaId)?.Code ?? areaId.ToString(CultureInfo.InvariantCulture);

    private static string Word(AreaStatus status) => status.ToString().ToLowerInvariant();
}

/// <summary>An evaluation refused because it would change what a committee signed off (see <see cref="SignedVerdicts"/>): the user's to settle.</summary>
public sealed class SignedPeriodRunException(string message, string? messageVi = null) : EvaluationRequestException(message, messageVi);
