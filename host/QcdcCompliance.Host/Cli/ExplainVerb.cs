using QcdcCompliance.Findings;
using QcdcCompliance.Reports;

namespace QcdcCompliance.Host.Cli;

public static class ExplainVerb
{
    public static Command Create()
    {
        var period = new Option<string>("--period") { Description = "Period code", Required = true };
        var target = new Option<string>("--target") { Description = "Target code, e.g. NQ02-6b", Required = true };
        var subject = new Option<string>("--subject") { Description = "Unit or area code", Required = true };
        var command = new Command("explain", "Show the evidence of one finding, in Vietnamese and English.") { period, target, subject };
        command.SetServicesAction(async (parse, services, ct) =>
        {
            var code = parse.GetValue(subject)!.Trim();
            // Codes are stored in capitals (imports compare them without case): the subject's rows only, not the target's
            // every finding with its evidence (116,093 of NQ02-1 in a province of 200,000 units).
            var canonical = code.ToUpperInvariant();
            await using var db = await services.GetRequiredService<IDbContextFactory<QcdcDbContext>>().CreateDbContextAsync(ct);
            var query = await services.GetRequiredService<FindingQueries>().CurrentAsync(db, new FindingFilter(parse.GetValue(period)!) { Target = parse.GetValue(target) }, ct);
            var rows = await query.Where(f => f.SubjectCode == canonical || f.SubjectCode == code).ToListAsync(ct);
            var matches = await FindingQueries.ViewsAsync(db, rows, ct);
            if (matches.Count == 0)
            {
                Console.Error.WriteLine($"No current finding of {parse.GetValue(target)} on {code} in {parse.GetValue(period)}: it meets the target, is not in its population, or the period was not evaluated.");
                return 1;
            }

            var sets = await StoredSetVersions.LoadAsync(db, ct);
            for (var i = 0; i < matches.Count; i++)
            {
                var finding = matches[i];
                // The target as the set the finding was judged by words it, as the API's; a resolved finding names the row of
                // the shortfall it closed, as the API's does.
                Console.WriteLine(FindingExplanation.RenderJudged(finding, sets, await FindingQueries.LinksAsync(db, rows[i], ct)));
            }

            return 0;
        });
        return command;
    }
}
