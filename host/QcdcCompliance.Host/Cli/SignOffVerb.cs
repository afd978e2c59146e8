using QcdcCompliance.Decisions;

namespace QcdcCompliance.Host.Cli;

/// <summary>
/// <c>qcdc signoff</c>: the committee signs off an area's figures for a period (its units' values are then locked);
/// <c>qcdc signoff reopen</c> reopens it with a reason; <c>qcdc signoff list</c> shows them.
/// </summary>
public static class SignOffVerb
{
    public static Command Create()
    {
        var asked = new PeriodAreaOptions("Period code: 2020, 2020S1, 2020S2", "The area whose figures are signed off (its subtree is locked)");
        var reason = new Option<string?>("--reason") { Description = "Why; required when units of the area have not reported everything" };
        var command = new Command("signoff", "Sign off an area's figures for a period: the latest evaluation is the signed result, and its units' values and the targets that judge it are locked until reopened.")
        {
            asked.Period, asked.Area, reason,
        };
        command.SetServicesAction(async (parse, services, ct) =>
        {
            var (period, area) = asked.Read(parse);
            var outcome = await services.GetRequiredService<SignOffService>().SignOffAsync(period, area, parse.GetValue(reason), CliServices.Operator, ct);
            Console.Write(Describe(outcome));
            return 0;
        });

        var reopened = new PeriodAreaOptions("Period code", "The area signed off");
        var reopenReason = new Option<string>("--reason") { Description = "Why the committee reopens the signed figures", Required = true };
        var reopen = new Command("reopen", "Reopen a signed-off area and period, with a reason: its units' values may be imported again.") { reopened.Period, reopened.Area, reopenReason };
        reopen.SetServicesAction(async (parse, services, ct) =>
        {
            var (period, area) = reopened.Read(parse);
            var outcome = await services.GetRequiredService<SignOffService>().ReopenAsync(period, area, parse.GetValue(reopenReason), CliServices.Operator, ct);
            Console.Write(Describe(outcome));
            return 0;
        });

        var listPeriod = new Option<string?>("--period") { Description = "Only this period" };
        var listArea = new Option<string?>("--area") { Description = "Only this area and those below it" };
        var list = new Command("list", "The sign-offs and reopenings, newest first.") { listPeriod, listArea };
        list.SetServicesAction(async (parse, services, ct) =>
        {
            var rows = await services.GetRequiredService<SignOffService>().ListAsync(parse.GetValue(listPeriod), parse.GetValue(listArea), ct);
            var table = new TextTable("period", "area", "kind", "by", "at (Asia/Ho_Chi_Minh)", "run", "incomplete", "link", "reason");
            foreach (var s in rows)
                table.Add(s.Period, s.Area, s.Kind, s.By, Domain.VietnamTime.Local(s.At).ToString("dd/MM/yyyy HH:mm"), s.RunId, s.IncompleteUnits, s.ChainSequence, s.Reason);
            Console.Write(table);
            return 0;
        });

        command.Subcommands.Add(reopen);
        command.Subcommands.Add(list);
        return command;
    }

    public static string Describe(SignOffOutcome outcome)
    {
        var s = outcome.SignOff;
        var at = Domain.VietnamTime.Local(s.At).ToString("dd/MM/yyyy HH:mm");
        var text = s.Kind == Domain.SignOffKind.SignOff
            ? $"{s.Period} of {s.Area} ({s.AreaName}) signed off by {s.By} on {at} (đã ký duyệt ngày {at}): the figures of run #{s.RunId} are the signed result; "
              + $"the values of its units for {s.Period} and the targets that judge it are locked until reopened.{(s.IncompleteUnits > 0 ? $" {s.IncompleteUnits} unit(s) had not reported everything; reason: {s.Reason}" : "")}"
            : $"{s.Period} of {s.Area} ({s.AreaName}) reopened by {s.By} on {at} (đã mở lại ngày {at}): {s.Reason}.\n{outcome.StillLockedVi}\n{outcome.StillLocked}";
        var below = outcome.OpenBelow.Count == 0 ? "" : $"\nAreas below with a committee still open for {s.Period}: {string.Join(", ", outcome.OpenBelow)}";
        return $"{text}\nAudit chain link {s.ChainSequence} ({s.Hash[..12]}).{below}\n";
    }
}
