using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Reports;
using QcdcCompliance.Domain;
using QcdcCompliance.Host.Api;
using QcdcCompliance.Host.Security;
using QcdcCompliance.Import;
using QcdcCompliance.Import.Files;
using QcdcCompliance.Tests.Api;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Security;

/// <summary>
/// Issue 18, items 2 and 4: a workbook is refused for its declared or real size before its rows are read, in time that
/// follows the cells present; a body over the limit is answered 413, declared or chunked; a refusal lists the first
/// problems and counts the rest; imports run a few at a time, one per key; reading stops when the client goes.
/// </summary>
public sealed class ImportBoundsTests
{
    private const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    [Fact]
    public async Task A_workbook_declaring_16384_columns_is_refused_at_once_naming_the_limit_and_stores_nothing()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var reporter = await bed.AsAsync(Role.Reporter, "P");
        var workbook = Workbooks.DeclaredXfd20();
        var before = await bed.Engine.CountsAsync();

        var clock = Stopwatch.StartNew();
        var response = await reporter.PostAsync("/api/imports/values?file=xfd.xlsx", new ByteArrayContent(workbook) { Headers = { { "Content-Type", XlsxType } } });
        clock.Stop();
        var body = await response.Content.ReadAsStringAsync();

        workbook.Length.Should().BeLessThan(2_000, "the probe's workbook is about 1.6 KB");
        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity, body);
        Problems(body).Should().ContainSingle().Which.Should()
            .Be("xfd.xlsx: the sheet declares 20 rows and 16,384 columns (A1:XFD20); the limits are 1,048,576 rows and 256 columns: delete the empty rows and columns after the data, or export the sheet as CSV UTF-8");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(12), "the refusal reads no row (it took about 30 s with MiniExcel; the bound leaves room for a loaded machine)");
        (await bed.Engine.CountsAsync()).Should().Be(before);
    }

    [Fact]
    public async Task A_cell_far_right_a_workbook_that_inflates_past_the_limit_and_an_overlong_shared_string_are_refused_with_their_limits()
    {
        await using var engine = await Engine.SqliteAsync().WithProvinceAsync();
        var limits = ImportLimits.Default with { MaxUnpackedBytes = 1024 * 1024 };

        var far = await RefusedAsync(engine, Workbooks.CellInXfd(), ImportLimits.Default);
        var bomb = await RefusedAsync(engine, Workbooks.Bomb(8), limits);
        var longCell = await RefusedAsync(engine, Workbooks.LongSharedString(200_000), ImportLimits.Default);

        far.Should().ContainSingle().Which.Should().Be("v.xlsx:2:column XFD: the sheet has a cell in column 16,384; the limit is 256 columns");
        bomb.Should().ContainSingle().Which.Should().Contain("inflates to").And.Contain("1,048,576");
        longCell.Should().ContainSingle().Which.Should().Be("v.xlsx:2:column E: a cell is 200000 characters long; the limit is 10000");
    }

    [Fact]
    public async Task Reading_a_workbook_costs_time_in_proportion_to_its_cells_not_to_its_declared_size()
    {
        // One header and one cell under the largest declared size the limits allow (A1:IV1048576, 268 million cells).
        var wide = XlsxWith("""<dimension ref="A1:IV1048576"/>""");

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 20; i++)
            _ = TableReader.Read("w.xlsx", wide, ValueImporter.Schema, new ProblemList("w.xlsx")).Rows.ToList();
        var wideTime = clock.Elapsed;

        wideTime.Should().BeLessThan(TimeSpan.FromSeconds(2), "20 reads of a sheet declaring 268 million cells but holding 5 cost what 5 cells cost");
        await Task.CompletedTask;
    }

    [Fact]
    public async Task A_body_over_the_limit_is_answered_413_whether_its_length_is_declared_or_it_comes_chunked()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()),
            new Dictionary<string, string?> { ["Imports:MaxBodyBytes"] = "100000" });
        var reporter = await bed.AsAsync(Role.Reporter, "P");
        var big = Encoding.UTF8.GetBytes(Province.ValuesHeader + string.Concat(Enumerable.Repeat("XA1,2020S1,REGULATION_ISSUED,true,\n", 5000)));

        var declared = await reporter.PostAsync("/api/imports/values", new ByteArrayContent(big) { Headers = { { "Content-Type", "text/csv" } } });
        var chunked = await reporter.PostAsync("/api/imports/values", new StreamContent(new UnseekableStream(big)) { Headers = { { "Content-Type", "text/csv" } } });
        var small = await reporter.PostAsync("/api/imports/values", new StreamContent(new UnseekableStream(Encoding.UTF8.GetBytes(Province.ValuesHeader + "XA1,2020S1,REGULATION_ISSUED,true,\n")))
        {
            Headers = { { "Content-Type", "text/csv" } },
        });

        declared.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge, await declared.Content.ReadAsStringAsync());
        chunked.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge, await chunked.Content.ReadAsStringAsync());
        (await chunked.Content.ReadAsStringAsync()).Should().Contain("100,000 bytes");
        chunked.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        small.StatusCode.Should().Be(HttpStatusCode.OK, await small.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_file_of_many_bad_rows_is_refused_with_the_first_problems_listed_and_the_rest_counted()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()),
            new Dictionary<string, string?> { ["Imports:MaxProblemsListed"] = "25" });
        var reporter = await bed.AsAsync(Role.Reporter, "P");
        // One column per row: each of 20,000 rows lacks three cells (the probe's 500,000 rows gave 1.5 M problems).
        var csv = "unit_code,period,indicator,value\n" + string.Concat(Enumerable.Repeat("XA1\n", 20_000));

        var response = await reporter.PostAsync("/api/imports/values", new StringContent(csv, Encoding.UTF8, "text/csv"));
        var body = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        using var json = JsonDocument.Parse(body);
        json.RootElement.GetProperty("problems").GetArrayLength().Should().Be(25);
        var notListed = json.RootElement.GetProperty("problemsNotListed").GetInt64();
        notListed.Should().BeGreaterThan(19_000);
        json.RootElement.GetProperty("detail").GetString().Should().Contain($"{25 + notListed} problem(s); the first 25 are listed");
        body.Length.Should().BeLessThan(20_000, "the answer stays small however bad the file");
    }

    [Fact]
    public async Task A_csv_over_16_MB_with_one_unclosed_quote_is_refused_naming_the_row_where_it_opened_at_the_api_and_the_command_line()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()));
        var reporter = await bed.AsAsync(Role.Reporter, "P");
        var before = await bed.Engine.CountsAsync();
        // Review 52, security 3: the comment of row 3 opens a quote that never closes, and 17 MB of rows follow (past Sep's 16 MiB row).
        var csv = LongCsv(Province.ValuesHeader + "XA1,2020S1,REGULATION_ISSUED,true,\nXA2,2020S1,REGULATION_ISSUED,true,\"đã họp\n");

        var response = await reporter.PostAsync("/api/imports/values?file=values.csv", new ByteArrayContent(csv) { Headers = { { "Content-Type", "text/csv" } } });
        var body = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity, body);
        var problem = JsonDocument.Parse(body).RootElement.GetProperty("problems").EnumerateArray().Should().ContainSingle().Subject;
        problem.GetProperty("text").GetString().Should().Be("values.csv:3:: a quoted cell is never closed; add the closing '\"'");
        problem.GetProperty("messageVi").GetString().Should().Contain("một ô mở dấu ngoặc kép (\") mà không đóng");
        (await bed.Engine.CountsAsync()).Should().Be(before);

        var file = Path.Combine(TestFolders.NewFolder("csv16"), "values.csv");
        await File.WriteAllBytesAsync(file, csv);
        var exit = await QcdcCompliance.Host.Cli.QcdcCli.RunAsync(["import", "values", file, "--no-evaluate", "--provider", bed.Engine.Storage.Provider.ToString(), "--db", bed.Engine.Storage.Database!]);
        exit.Should().Be(QcdcCompliance.Host.Cli.QcdcCli.FailedExitCode, "a refused file, not a crash");
    }

    [Fact]
    public async Task A_row_over_16_MB_without_a_quote_is_refused_naming_the_cell_limit()
    {
        await using var engine = await Engine.SqliteAsync().WithProvinceAsync();
        var csv = LongCsv(Province.ValuesHeader + "XA1,2020S1,REGULATION_ISSUED,true,", newLines: false);

        var refusal = await FluentActions.Awaiting(() => engine.ImportAsync(ImportKind.Values, "values.csv", csv)).Should().ThrowAsync<ImportRejectedException>();

        refusal.Which.Problems.Select(p => p.ToString()).Should().Equal("values.csv:2:: a row runs past 16777216 characters without ending; a cell holds at most 10000");
    }

    /// <summary>The head, then 17 MB of value rows (or of one letter, without line breaks), as bytes.</summary>
    private static byte[] LongCsv(string head, bool newLines = true)
    {
        var bytes = new byte[17 * 1024 * 1024];
        var written = Encoding.UTF8.GetBytes(head, bytes);
        var row = Encoding.ASCII.GetBytes("XA1,2020S1,DIALOGUE_CONFERENCES,1,\n");
        for (var at = written; at < bytes.Length; at++)
            bytes[at] = newLines ? row[(at - written) % row.Length] : (byte)'x';
        return bytes;
    }

    [Fact]
    public async Task A_key_runs_one_import_at_a_time_and_the_host_a_few_while_other_keys_go_on()
    {
        await using var bed = await ApiTestbed.StartAsync(await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync()),
            new Dictionary<string, string?> { ["Imports:MaxConcurrent"] = "2", ["Imports:MaxConcurrentPerPrincipal"] = "1" });
        var gate = bed.Host.Services.GetRequiredService<ImportGate>();
        var keys = bed.Host.Services.GetRequiredService<ApiKeyStore>();
        var firstKey = await bed.KeyAsync(Role.Reporter, "P");
        var first = (await keys.AuthenticateAsync(firstKey))!.PrincipalId;
        var csv = Encoding.UTF8.GetBytes(Province.ValuesHeader + "XA1,2020S1,REGULATION_ISSUED,true,\n");
        Task<HttpResponseMessage> Post(HttpClient client) => client.PostAsync("/api/imports/values", new ByteArrayContent(csv) { Headers = { { "Content-Type", "text/csv" } } });

        // An import of the first key is running (its slot taken as the endpoint takes it).
        var running = gate.TryEnter(first, out _);
        var again = await Post(bed.As(firstKey));
        var other = await Post(await bed.AsAsync(Role.Reporter, "D1"));
        // A second import of another principal fills the host.
        var second = gate.TryEnter("apikey:elsewhere", out _);
        var full = await Post(await bed.AsAsync(Role.Reporter, "D2"));
        running!.Dispose();
        second!.Dispose();
        var afterwards = await Post(bed.As(firstKey));

        again.StatusCode.Should().Be(HttpStatusCode.TooManyRequests, await again.Content.ReadAsStringAsync());
        (await again.Content.ReadAsStringAsync()).Should().Contain("import(s) running already");
        again.Headers.RetryAfter.Should().NotBeNull();
        other.StatusCode.Should().Be(HttpStatusCode.OK, await other.Content.ReadAsStringAsync());
        full.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        (await full.Content.ReadAsStringAsync()).Should().Contain("2 imports are running on this server");
        afterwards.StatusCode.Should().Be(HttpStatusCode.OK, "the slots are given back when the imports end");
        gate.TryEnter(first, out _).Should().NotBeNull("the endpoint gave its slot back too");
    }

    [Theory]
    [InlineData("values.csv")]
    [InlineData("values.xlsx")]
    [InlineData("values.json")]
    public async Task Reading_stops_when_the_client_has_gone_and_nothing_is_stored(string file)
    {
        await using var engine = await Engine.SqliteAsync().WithProvinceAsync();
        var rows = Enumerable.Range(0, 3000).Select(_ => "XA1,2020S1,REGULATION_ISSUED,true,").ToList();
        var bytes = file switch
        {
            "values.xlsx" => XlsxOf(rows),
            "values.json" => Encoding.UTF8.GetBytes("[" + string.Join(",", rows.Select(_ => """{"unit_code":"XA1","period":"2020S1","indicator":"REGULATION_ISSUED","value":true}""")) + "]"),
            _ => Encoding.UTF8.GetBytes(Province.ValuesHeader + string.Join("\n", rows) + "\n"),
        };
        var before = await engine.CountsAsync();
        using var gone = new CancellationTokenSource();
        await gone.CancelAsync();

        await FluentActions.Awaiting(() => engine.Imports.ImportAsync(ImportKind.Values, file, bytes, new ImportContext("test", TimeProvider.System), gone.Token))
            .Should().ThrowAsync<OperationCanceledException>();
        (await engine.CountsAsync()).Should().Be(before);
    }

    [Fact]
    public async Task Every_limit_a_file_is_read_within_and_every_shape_a_JSON_file_must_have_is_worded_in_Vietnamese()
    {
        await using var engine = await Engine.SqliteAsync().WithProvinceAsync();
        var problems = new List<ImportProblem>();
        async Task Refused(string file, byte[] content, ImportLimits limits) => problems.AddRange((await FluentActions.Awaiting(() =>
            engine.Imports.ImportAsync(ImportKind.Values, file, content, new ImportContext("test", TimeProvider.System) { Limits = limits }))
            .Should().ThrowAsync<ImportRejectedException>()).Which.Problems);

        await Refused("xfd.xlsx", Workbooks.DeclaredXfd20(), ImportLimits.Default);
        await Refused("v.xlsx", Workbooks.CellInXfd(), ImportLimits.Default);
        await Refused("v.xlsx", Workbooks.Bomb(8), ImportLimits.Default with { MaxUnpackedBytes = 1024 * 1024 });
        await Refused("v.xlsx", Workbooks.LongSharedString(20_000), ImportLimits.Default);
        await Refused("v.json", Encoding.UTF8.GetBytes("{\"unit_code\": \"XA1\"}"), ImportLimits.Default);
        await Refused("v.json", Encoding.UTF8.GetBytes("[1, {\"unit_code\": [\"XA1\"]}]"), ImportLimits.Default);
        await Refused("v.json", Encoding.UTF8.GetBytes("[{\"unit_code\": \"XA1\","), ImportLimits.Default);
        await Refused("v.json", Encoding.UTF8.GetBytes("[{\"unit_code\": \"XA1\\uD800\"}]"), ImportLimits.Default);

        problems.Select(p => p.Message).Distinct().Should().HaveCountGreaterThanOrEqualTo(9, "each file above is refused for its own reason");
        foreach (var problem in problems)
            ImportWording.Vietnamese(problem).Should().NotBe(problem.Message, $"'{problem}' is worded in Vietnamese");
        problems.Select(ImportWording.Vietnamese).Should().Contain(
            "trang tính khai báo 20 dòng và 16.384 cột (A1:XFD20); tối đa 1.048.576 dòng và 256 cột: xóa các dòng, cột trống sau dữ liệu, hoặc xuất trang tính ra CSV UTF-8",
            "trang tính có ô ở cột thứ 16.384; tối đa 256 cột: xóa các cột thừa sau dữ liệu");
    }

    private static async Task<IReadOnlyList<string>> RefusedAsync(Engine engine, byte[] workbook, ImportLimits limits)
    {
        var refusal = await FluentActions.Awaiting(() => engine.Imports.ImportAsync(ImportKind.Values, "v.xlsx", workbook,
            new ImportContext("test", TimeProvider.System) { Limits = limits })).Should().ThrowAsync<ImportRejectedException>();
        return refusal.Which.Problems.Select(p => p.ToString()).ToList();
    }

    private static byte[] XlsxWith(string dimension)
    {
        var bytes = Workbooks.DeclaredXfd20();
        using var input = new MemoryStream(bytes);
        using var output = new MemoryStream();
        using (var source = new System.IO.Compression.ZipArchive(input, System.IO.Compression.ZipArchiveMode.Read))
        using (var target = new System.IO.Compression.ZipArchive(output, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                using var reader = new StreamReader(entry.Open());
                var text = reader.ReadToEnd();
                if (entry.FullName.EndsWith("sheet1.xml", StringComparison.Ordinal))
                    text = text.Replace("""<dimension ref="A1:XFD20"/>""", dimension, StringComparison.Ordinal);
                using var writer = new StreamWriter(target.CreateEntry(entry.FullName).Open(), new UTF8Encoding(false));
                writer.Write(text);
            }
        }

        return output.ToArray();
    }

    private static byte[] XlsxOf(IEnumerable<string> csvRows)
    {
        using var stream = new MemoryStream();
        var sheet = new List<Dictionary<string, object>>();
        foreach (var row in csvRows)
        {
            var cells = row.Split(',');
            sheet.Add(new Dictionary<string, object> { ["unit_code"] = cells[0], ["period"] = cells[1], ["indicator"] = cells[2], ["value"] = cells[3] });
        }

        MiniExcelLibs.MiniExcel.SaveAs(stream, sheet, excelType: MiniExcelLibs.ExcelType.XLSX);
        return stream.ToArray();
    }

    private static IReadOnlyList<string> Problems(string body) =>
        JsonDocument.Parse(body).RootElement.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("text").GetString()!).ToList();

    /// <summary>A body of unknown length: the client sends it chunked.</summary>
    private sealed class UnseekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
