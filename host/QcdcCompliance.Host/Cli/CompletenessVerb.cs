using System.Globalization;
using System.Text.Json;
using QcdcCompliance.Host.Api;
using QcdcCompliance.Import.Files;
using QcdcCompliance.Reports;
using QcdcCompliance.Submissions;

namespace QcdcCompliance.Host.Cli;

/// <summary><c>qcdc completeness</c>: who has reported, who is late and who has not started, for an area and period.</summary>
public static class CompletenessVerb
{
    public static Command Create()
    {
        var asked = new PeriodAreaOptions("Period code: 2020S1, 2020S2, 2020", "Area code (its subtree)");
        var format = new Option<string>("--format") { Description = "table (default), csv (one row a unit expected) or json", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "csv", "json");
        var command = new Command("completeness", "Units expected to report in a period (by their duties): complete on time, late, partial, missing; the reporting rate and its trend.")
        {
            asked.Period, asked.Area, format,
        };
        command.SetServicesAction(async (parse, services, ct) =>
        {
            var (period, area) = asked.Read(parse);
            RefuseNotBegun(period, services);
            var view = await services.GetRequiredService<CompletenessQueries>().ForAreaAsync(period, area, ct);
            switch (parse.GetValue(format)?.ToLowerInvariant())
            {
                case "csv":
                    Console.Out.Write(Csv(view));
                    break;
                case "json":
                    // The API's answer: the area and period by code, the own units' row among the children.
                    Console.Out.WriteLine(JsonSerializer.Serialize(CompletenessDto.Of(view), CompletenessDto.Json));
                    break;
                default:
                    Console.Out.Write(Table(view));
                    break;
            }

            return 0;
        });
        return command;
    }

    /// <summary>
    /// A period that has not begun is refused as <c>template</c> and <c>evaluate</c> refuse it: no unit can have reported
    /// for it, and listing every unit as missing hides the mistyped year it almost always is.
    /// </summary>
    private static void RefuseNotBegun(string periodCode, IServiceProvider services)
    {
        if (!PeriodCode.TryParse(periodCode, out var code))
            throw new NotAPeriodException(periodCode);
        if (services.GetRequiredService<PeriodCalendar>().Create(code).NotBegunRefusal(services.GetRequiredService<TimeProvider>(), "nobody is late for it yet") is { } refusal)
            throw refusal;
    }

    public static string Csv(CompletenessView view) => CsvWriter.Text(csv =>
    {
        csv.Row(["unit_code", "unit_name", "kind", "area_code", "owed", "reported", "state", "last_stored_at", "missing"]);
        foreach (var u in view.Units)
        {
            csv.Row(u.UnitCode, u.UnitName, CsvCell.Figure(u.Kind.ToString()), u.AreaCode, u.Owed, u.Reported, CsvCell.Figure(State(u.State)),
                CsvCell.Figure(u.LastStoredAt?.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)), string.Join(' ', u.Missing));
        }
    });

    private static string Table(CompletenessView view)
    {
        var t = view.Totals;
        var text = new System.Text.StringBuilder();
        text.AppendLine($"{view.Area.Code} {view.Area.Name}, {view.Period.Code}: deadline {view.Deadline:yyyy-MM-dd} "
            + (view.DaysLeft >= 0 ? $"({view.DaysLeft} day(s) left)" : $"({-view.DaysLeft} day(s) ago)"));
        text.AppendLine(CultureInfo.InvariantCulture, $"{t.Expected} unit(s) expected: {t.Complete} complete ({t.OnTime} on time, {t.Late} late), {t.Partial} partial, {t.Missing} missing; reporting rate {Rate(t.Complete, t.Expected)}");
        text.AppendLine();
        var areas = new TextTable("area", "name", "expected", "complete", "on time", "late", "partial", "missing", "rate");
        // The child areas, then the area's own units (the report's words for them): the rows add up to the area's figures.
        foreach (var c in view.Parts)
        {
            areas.Add(c.AreaCode, c.OwnUnits ? ReportWording.Vietnamese.OwnUnitsName(c.AreaName) : c.AreaName, c.Expected, c.Complete, c.OnTime, c.Late, c.Partial,
                c.Missing, Rate(c.Complete, c.Expected));
        }

        text.Append(areas);
        if (view.Trend.Count > 0)
        {
            text.AppendLine();
            var trend = new TextTable("period", "expected", "complete", "rate");
            foreach (var r in view.Trend)
                trend.Add(r.Period, r.Expected, r.Complete, Rate(r.Complete, r.Expected));
            text.Append("Reporting rate in the evaluated periods:\n").Append(trend);
        }

        var late = view.Units.Where(u => u.State != SubmissionState.OnTime).ToList();
        if (late.Count > 0)
        {
            text.AppendLine();
            var units = new TextTable("unit", "name", "state", "reported", "missing");
            foreach (var u in late.Take(50))
                units.Add(u.UnitCode, u.UnitName, State(u.State), $"{u.Reported}/{u.Owed}", string.Join(' ', u.Missing));
            text.Append(CultureInfo.InvariantCulture, $"Units not complete on time: {(late.Count > 50 ? $"first 50 of {late.Count}" : late.Count.ToString(CultureInfo.InvariantCulture))} (all: --format csv)\n").Append(units);
        }

        return text.ToString();
    }

    private static string State(SubmissionState state) => state switch
    {
        SubmissionState.OnTime => "on-time",
        SubmissionState.Late => "late",
        SubmissionState.Partial => "partial",
        _ => "missing",
    };

    private static string Rate(int complete, int expected) => expected == 0 ? "–" : $"{Domain.Shares.Percent(complete, expected)}%";
}
