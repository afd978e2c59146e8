using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Import;
using QcdcCompliance.Rules;
using QcdcCompliance.Storage;
using QcdcCompliance.Tests.Api;
using QcdcCompliance.Tests.Decisions;
using QcdcCompliance.Tests.Import;
using QcdcCompliance.Tests.Infrastructure;
using Xunit.Abstractions;

namespace QcdcCompliance.Tests.Cli;

/// <summary>
/// What the <c>qcdc</c> program, run as a user runs it, answers to the ordinary mistakes and to a script: data alone on
/// standard output, one line on standard error for what went wrong (what, where, how to fix it), the documented exit
/// code, and nothing changed on disk.
/// </summary>
public sealed class CommandLineTests(ITestOutputHelper output)
{
    /// <summary>The program's own log levels (Information by default), not the quieter ones the other tests run it with.</summary>
    private static readonly Dictionary<string, string> ProgramLogLevels = new() { ["Logging__LogLevel__Default"] = "Information" };

    private static async Task<Engine> EvaluatedAsync()
    {
        var engine = await Engine.SqliteAsync().WithProvinceAsync();
        await engine.LoadTargetSetsAsync();
        await engine.ImportAsync(ImportKind.Values, "values.csv", WhatIfTests.Values);
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        return engine;
    }

    private CliRun Shown(CliRun run)
    {
        output.WriteLine($"exit {run.ExitCode}\n--- stdout\n{run.Output}\n--- stderr\n{run.Error}");
        return run;
    }

    private static void ToldInALine(CliRun run, int exitCode, string message)
    {
        run.ExitCode.Should().Be(exitCode);
        run.Error.Should().Contain(message).And.NotContain("Unhandled exception").And.NotContain("   at ").And.NotContain("Exception");
    }

    [Fact]
    public async Task Log_records_go_to_standard_error_so_the_whatif_csv_and_json_on_standard_output_are_data_alone()
    {
        await using var engine = await EvaluatedAsync();
        var file = Path.Combine(TestFolders.NewFolder("cli-whatif"), "proposal.json");
        await File.WriteAllBytesAsync(file, WhatIfTests.Proposal());

        var csv = Shown(await HostProcess.RunToExitAsync(engine.Storage, ProgramLogLevels, "whatif", "--period", "2020S1", "--targets", file, "--format", "csv"));
        csv.ExitCode.Should().Be(0);
        csv.Output.Should().StartWith("target,subject_type,subject_code,now,proposed,").And.NotContain("info:");
        csv.Error.Should().Contain("asked by cli:", "who asked is still logged, where log records go");

        var json = Shown(await HostProcess.RunToExitAsync(engine.Storage, ProgramLogLevels, "whatif", "--period", "2020S1", "--targets", file, "--format", "json"));
        json.ExitCode.Should().Be(0);
        var parse = () => JsonDocument.Parse(json.Output);
        parse.Should().NotThrow("standard output is the JSON document alone");
    }

    [Fact]
    public async Task Evaluate_of_a_district_names_its_own_findings_and_fails_only_on_them()
    {
        // One target: a commune's mediation rate of at least 90%. XA1 (C1, D1) and XA2 (C2, D1) are at 80%, XA3 (C3, D2) at 100%.
        await using var engine = await Engine.SqliteAsync().WithProvinceAsync();
        var set = JsonNode.Parse(QcdcRules.TargetSets().Single(s => s.Name.Contains("committee", StringComparison.Ordinal)).Content)!.AsObject();
        set["scope"] = "P";
        var mediation = set["targets"]!.AsArray().Single(t => t!["code"]!.GetValue<string>() == "KPI-MEDIATION")!.DeepClone();
        mediation["threshold"] = 0.9;
        set["targets"] = new JsonArray(mediation);
        await engine.ImportTargetsAsync("mediation.json", Encoding.UTF8.GetBytes(set.ToJsonString()), null);
        await engine.ImportAsync(ImportKind.Values, "values.csv", WhatIfTests.Values);

        var d2 = Shown(await HostProcess.RunToExitAsync(engine.Storage, "evaluate", "--period", "2020S1", "--area", "D2", "--fail-on-findings"));
        d2.ExitCode.Should().Be(0, "nothing in Huyện Hai falls short, whatever the rest of the province does");
        d2.Output.Should().Contain("D2 Huyện Hai: 0 open findings (0 new, 0 persisting), 0 resolved; the run of the province P Tỉnh Thử: ")
            .And.MatchRegex(@"the run of the province P Tỉnh Thử: \d+ units; [1-9]\d* open findings");

        var d1 = Shown(await HostProcess.RunToExitAsync(engine.Storage, "evaluate", "--period", "2020S1", "--area", "D1", "--fail-on-findings"));
        var listed = (await HostProcess.RunAsync(engine.Storage, "findings", "--period", "2020S1", "--area", "D1", "--format", "csv")).Split('\n').Length - 1;
        listed.Should().BePositive();
        d1.ExitCode.Should().Be(3);
        d1.Output.Should().Contain($"D1 Huyện Một: {listed} open findings (0 new, {listed} persisting), 0 resolved;", "the area's line counts what 'qcdc findings --area D1' lists");
    }

    [Fact]
    public async Task A_verb_run_where_there_is_no_database_names_the_file_it_looked_for_and_creates_none()
    {
        var folder = TestFolders.NewFolder("cli-nodb");
        var missing = new StorageOptions { Provider = StorageProvider.Sqlite, Database = Path.Combine(folder, "typo.db") };
        var areas = Path.Combine(folder, "areas.csv");
        await File.WriteAllTextAsync(areas, Province.Areas);

        foreach (var args in new[] { ["findings", "--period", "2020S1"], ["audit", "verify"], ["import", "areas", areas], new[] { "keys", "list" } })
        {
            var run = Shown(await HostProcess.RunToExitAsync(missing, args));
            ToldInALine(run, 2, $"no QCDC database at {missing.Database}: create it with 'qcdc demo'");
            run.Error.Should().StartWith($"lỗi: không có cơ sở dữ liệu QCDC tại {missing.Database}: hãy tạo bằng 'qcdc demo'", "Vietnamese first, as every refusal");
        }

        File.Exists(missing.Database).Should().BeFalse("a verb that reads the database creates none");
        Directory.GetFiles(folder).Should().Equal(areas);

        // A file that is there but is no database (--db given the areas file).
        var notADatabase = Shown(await HostProcess.RunToExitAsync(new StorageOptions { Provider = StorageProvider.Sqlite, Database = areas }, "findings", "--period", "2020S1"));
        ToldInALine(notADatabase, 1, $"cannot use {areas}: SQLite Error 26: 'file is not a database'; check the file, or name the QCDC database with --db");
        (await File.ReadAllTextAsync(areas)).Should().Be(Province.Areas);
    }

    [Fact]
    public async Task A_PostgreSQL_server_that_is_not_there_is_named_by_its_host_and_port()
    {
        var port = FreePort();
        var server = new StorageOptions { Provider = StorageProvider.Postgres, Database = $"Host=127.0.0.1;Port={port};Database=qcdc;Username=qcdc;Password=secret" };

        var run = Shown(await HostProcess.RunToExitAsync(server, "findings", "--period", "2020S1"));

        ToldInALine(run, 1, $"cannot connect to the Postgres server at 127.0.0.1:{port}");
        run.Error.Should().NotContain("secret");

        // QCDC_PROVIDER=Postgres left set while QCDC_DB names a SQLite file.
        var file = new StorageOptions { Provider = StorageProvider.Postgres, Database = "./qcdc.db" };
        ToldInALine(Shown(await HostProcess.RunToExitAsync(file, "findings", "--period", "2020S1")), 2,
            "the Postgres database is named by a connection string (--db or QCDC_DB), such as \"Host=localhost;");
    }

    [Fact]
    public async Task A_server_connection_string_without_its_provider_is_refused_in_a_line_by_every_verb_and_serve()
    {
        // QCDC_DB set to the server's connection string and QCDC_PROVIDER forgotten: the provider is SQLite's default.
        var server = new StorageOptions { Provider = StorageProvider.Sqlite, Database = $"Host=127.0.0.1;Port={FreePort()};Database=qcdc;Username=qcdc;Password=secret" };

        foreach (var args in new[] { ["findings", "--period", "2020S1"], ["migrate"], new[] { "serve", "--urls", $"http://127.0.0.1:{FreePort()}" } })
        {
            var run = Shown(await HostProcess.RunToExitAsync(server, args));
            ToldInALine(run, 2, "--db (or QCDC_DB) is a connection string, not a SQLite file");
            run.Error.Should().Contain("add --provider Postgres (or QCDC_PROVIDER=Postgres)").And.NotContain("secret");
        }
    }

    [Fact]
    public async Task A_database_migrated_by_a_newer_version_is_refused_by_migrate_the_verbs_and_serve()
    {
        await using var engine = await EvaluatedAsync();
        await using (var db = engine.Db())
            await db.Database.ExecuteSqlRawAsync("""INSERT INTO "__EFMigrationsHistory" VALUES ('20990101000000_SomeFutureChange', '99.0.0')""");

        foreach (var args in new[] { ["migrate"], ["findings", "--period", "2020S1"], new[] { "serve", "--urls", $"http://127.0.0.1:{FreePort()}" } })
        {
            ToldInALine(Shown(await HostProcess.RunToExitAsync(engine.Storage, args)), 2,
                "error: this database was migrated by a newer version of qcdc (20990101000000_SomeFutureChange); use that version");
        }
    }

    [Fact]
    public async Task A_PostgreSQL_database_that_is_not_there_exits_2_and_one_not_migrated_is_named_in_one_line()
    {
        var server = await PostgresServer.InstanceAsync();
        var missing = new StorageOptions { Provider = StorageProvider.Postgres, Database = $"Host=127.0.0.1;Port={server.Port};Database=nodb_typo;Username=postgres" };
        var empty = await server.CreateDatabaseAsync("unmigrated", migrate: false);
        var emptyName = new Npgsql.NpgsqlConnectionStringBuilder(empty.Database).Database;

        ToldInALine(Shown(await HostProcess.RunToExitAsync(missing, "findings", "--period", "2020S1")), 2,
            $"cannot use the Postgres server at 127.0.0.1:{server.Port} (database nodb_typo): 3D000: database \"nodb_typo\" does not exist; check");
        var unmigrated = Shown(await HostProcess.RunToExitAsync(empty, "findings", "--period", "2020S1"));
        ToldInALine(unmigrated, 1, $"the Postgres server at 127.0.0.1:{server.Port} (database {emptyName}) is not a QCDC database, or one made by an older version (42P01: relation ");
        unmigrated.Error.Should().NotContain("POSITION").And.Contain("does not exist): run 'qcdc migrate'");
    }

    [Fact]
    public async Task Files_and_folders_that_cannot_be_written_are_refused_before_the_work_and_nothing_is_written()
    {
        await using var engine = await EvaluatedAsync();
        var folder = TestFolders.NewFolder("cli-out");
        var nowhere = Path.Combine(folder, "no-such-folder", "r.html");

        ToldInALine(Shown(await HostProcess.RunToExitAsync(engine.Storage, "report", "--period", "2020S1", "--area", "P", "--format", "html", "--out", nowhere)), 2,
            $"cannot write {nowhere}: the folder {Path.GetDirectoryName(nowhere)} does not exist");
        ToldInALine(Shown(await HostProcess.RunToExitAsync(engine.Storage, "report", "--period", "2020S1", "--area", "P", "--format", "html", "--out", folder)), 2,
            $"--out {folder} is a folder; give the file to write");
        ToldInALine(Shown(await HostProcess.RunToExitAsync(engine.Storage, "template", "--period", "2020S1", "--area", "D1", "--out", nowhere)), 2,
            $"cannot write {nowhere}: the folder");
        var eml = Path.Combine(folder, "m.eml");
        Shown(await HostProcess.RunToExitAsync(engine.Storage, "outbox", "show", "9999", "--out", eml)).ExitCode.Should().Be(1);
        var existing = Path.Combine(folder, "demo.out");
        await File.WriteAllTextAsync(existing, "kept");
        ToldInALine(Shown(await HostProcess.RunToExitAsync(engine.Storage, "demo-data", "--out", existing)), 2, $"--out {existing} is a file; give a folder");

        Directory.GetFileSystemEntries(folder).Should().Equal(existing);
        (await File.ReadAllTextAsync(existing)).Should().Be("kept");
    }

    [Fact]
    public async Task Mistakes_in_the_arguments_exit_2_and_name_the_values_an_option_takes_never_a_dotnet_type()
    {
        await using var engine = await EvaluatedAsync();

        foreach (var (args, told) in new (string[], string)[]
                 {
                     (["findings", "--period", "2020S1", "--state", "x"], "--state 'x': write New, Persisting or Resolved"),
                     (["audit", "verify", "--from", "x"], "--from 'x': write a whole number from 1"),
                     (["keys", "create", "--role", "boss", "--area", "P", "--name", "n"], "--role 'boss': write auditor, committee, reporter, admin or nationaladmin"),
                     (["outbox", "--status", "bogus"], "--status 'bogus': write Pending, Sent, Dead or Withdrawn"),
                     (["outbox", "--limit", "0"], "--limit '0': write a whole number from 1 to 10000"),
                     (["completeness", "--period", "2020S1", "--area", "P", "--format", "xml"], "Argument 'xml' not recognized"),
                     (["findings", "--period", "2020S1", "--aera", "P"], "Unrecognized command or argument '--aera'"),
                     (["indicators", "--period", "2020S3"], "'2020S3' is not a period; write 2020 (year), 2020S1 or 2020S2 (half-years)"),
                     (["serve", "--urls", "localhost:5219"], "--urls localhost:5219 is not an address to listen on; write it as http://HOST:PORT"),
                 })
        {
            var run = Shown(await HostProcess.RunToExitAsync(engine.Storage, args));
            ToldInALine(run, 2, told);
            run.Error.Should().NotContain("expected type").And.NotContain("System.").And.NotContain("QcdcCompliance.");
        }
    }

    [Fact]
    public async Task Serve_on_a_port_in_use_says_so_in_a_line()
    {
        await using var engine = await EvaluatedAsync();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var run = Shown(await HostProcess.RunToExitAsync(engine.Storage, "serve", "--urls", $"http://127.0.0.1:{port}"));

        ToldInALine(run, 2, $"cannot listen on http://127.0.0.1:{port}: Address already in use; stop what listens there or choose another with --urls");
    }

    [Fact]
    public async Task Keys_revoke_takes_the_prefix_as_keys_list_shows_it()
    {
        await using var engine = await EvaluatedAsync();
        foreach (var shown in new Func<string, string>[] { listed => listed, listed => listed.TrimEnd('…'), listed => listed.TrimEnd('…', '_') })
        {
            await HostProcess.RunAsync(engine.Storage, "keys", "create", "--role", "auditor", "--area", "P", "--name", "leaked");
            var listed = (await HostProcess.RunAsync(engine.Storage, "keys", "list")).Split('\n').Last().Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Single(c => c.StartsWith("qcdc_", StringComparison.Ordinal));
            listed.Should().MatchRegex("^qcdc_[0-9a-f]{12}_…$");

            var revoke = Shown(await HostProcess.RunToExitAsync(engine.Storage, "keys", "revoke", shown(listed)));

            revoke.ExitCode.Should().Be(0);
            revoke.Output.Should().MatchRegex(@"^Key #\d+ 'leaked' revoked at ");
        }
    }

    [Fact]
    public async Task Outbox_retry_of_a_message_that_is_not_dead_says_so_and_exits_1()
    {
        await using var engine = await EvaluatedAsync();

        var run = Shown(await HostProcess.RunToExitAsync(engine.Storage, "outbox", "retry", "999"));

        run.Output.Should().Contain("0 message(s) back in line.");
        ToldInALine(run, 1, "there is no message 999; only a dead message goes back in line");
    }

    [Fact]
    public async Task Completeness_refuses_a_period_that_has_not_begun_as_template_does()
    {
        await using var engine = await EvaluatedAsync();

        var run = Shown(await HostProcess.RunToExitAsync(engine.Storage, "completeness", "--period", "2099S1", "--area", "P"));

        ToldInALine(run, 2, "period 2099S1 has not begun: it starts on 01/01/2099");
        run.Error.Should().Contain("check the period code (a mistyped year?)");
        run.Error.Should().StartWith("lỗi: Kỳ 2099S1 chưa bắt đầu: kỳ bắt đầu ngày 01/01/2099").And.Contain("\nerror: period 2099S1 has not begun");
        run.Output.Should().BeEmpty();

        var template = Shown(await HostProcess.RunToExitAsync(engine.Storage, "template", "--period", "2099S1", "--area", "P"));
        ToldInALine(template, 2, "\nerror: period 2099S1 has not begun: it starts on 01/01/2099");
        template.Error.Should().StartWith("lỗi: Kỳ 2099S1 chưa bắt đầu: kỳ bắt đầu ngày 01/01/2099").And.Contain("(nhầm năm?)");
    }

    [Fact]
    public async Task A_folder_given_where_a_file_is_expected_is_named_as_a_folder()
    {
        await using var engine = await EvaluatedAsync();
        var folder = TestFolders.NewFolder("cli-folder");

        ToldInALine(Shown(await HostProcess.RunToExitAsync(engine.Storage, "import", "values", folder)), 2, $"{folder} is a folder; give the file to import");
        ToldInALine(Shown(await HostProcess.RunToExitAsync(engine.Storage, "whatif", "--period", "2020S1", "--targets", folder)), 2, $"--targets {folder} is a folder; give the file");
        ToldInALine(Shown(await HostProcess.RunToExitAsync(engine.Storage, "report", "--period", "2020S1", "--area", "P", "--whatif-targets", folder)), 2,
            $"--whatif-targets {folder} is a folder; give the file");
    }

    [Fact]
    public async Task Audit_verify_refuses_a_range_past_the_head_or_reversed_instead_of_checking_nothing()
    {
        await using var engine = await EvaluatedAsync();
        var ok = Shown(await HostProcess.RunToExitAsync(engine.Storage, "audit", "verify"));
        ok.ExitCode.Should().Be(0);
        var head = long.Parse(System.Text.RegularExpressions.Regex.Match(ok.Output, @"the head is at link (\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

        ToldInALine(Shown(await HostProcess.RunToExitAsync(engine.Storage, "audit", "verify", "--from", (head + 1).ToString(System.Globalization.CultureInfo.InvariantCulture))), 2,
            $"the chain's head is link {head}: give --from and --to from 1 to {head}");
        ToldInALine(Shown(await HostProcess.RunToExitAsync(engine.Storage, "audit", "verify", "--from", "2", "--to", "1")), 2, "--to 1 is before --from 2");
        ToldInALine(Shown(await HostProcess.RunToExitAsync(engine.Storage, "audit", "verify", "--from", "-2")), 2, "--from '-2': write a whole number from 1");
    }

    [Fact]
    public async Task The_findings_json_keys_are_all_camel_case_and_the_template_hint_can_be_pasted_as_it_is()
    {
        await using var engine = await EvaluatedAsync();

        var json = JsonDocument.Parse(await HostProcess.RunAsync(engine.Storage, "findings", "--period", "2020S1", "--format", "json"));
        var keys = json.RootElement.EnumerateArray().First().EnumerateObject().Select(p => p.Name).ToList();
        keys.Should().Contain(["id", "period", "target", "numerator", "denominator", "gap"]).And.OnlyContain(k => char.IsAsciiLetterLower(k[0]));

        // Written into a sub-folder of the working folder, the hint names the file through it.
        var run = Shown(await HostProcess.RunToExitAsync(engine.Storage, "template", "--period", "2020S1", "--area", "D1", "--out", Path.Combine(TestFolders.NewFolder("cli-template"), "mau.csv"), "--format", "csv"));
        run.ExitCode.Should().Be(0);
        var hint = run.Output.Split('\n').Last();
        hint.Should().StartWith("Fill it, then: qcdc import values ").And.EndWith("mau.csv").And.NotBe("Fill it, then: qcdc import values mau.csv");
    }

    [Fact]
    public async Task Import_values_of_a_half_year_evaluates_the_year_that_reads_it_and_lists_its_run()
    {
        await using var engine = await Jobs.ImportTriggeredEvaluationTests.YearShortOfXa2Async();
        var (_, population) = await Jobs.ImportTriggeredEvaluationTests.YearsRegulationAsync(engine);
        var file = Path.Combine(TestFolders.NewFolder("cli-year"), "fix.csv");
        await File.WriteAllTextAsync(file, Province.ValuesHeader + "XA2,2020S2,REGULATION_ISSUED,có,\n");

        var run = Shown(await HostProcess.RunToExitAsync(engine.Storage, "import", "values", file));

        run.ExitCode.Should().Be(0);
        run.Output.Should().Contain("changed: 2020S2 in P: evaluated, run #").And.Contain("changed: 2020 in P (the year reads 2020S2): evaluated, run #");
        (await Jobs.ImportTriggeredEvaluationTests.YearsRegulationAsync(engine)).Met.Should().Be(population, "the year reads XA2's corrected S2 value");
    }

    [Fact]
    public async Task A_refused_sign_off_or_reopening_is_told_in_Vietnamese_then_English_as_the_API_words_it()
    {
        await using var engine = await EvaluatedAsync();

        var reopen = Shown(await HostProcess.RunToExitAsync(engine.Storage, "signoff", "reopen", "--period", "2020S1", "--area", "D1", "--reason", "Xã Một gửi lại"));
        ToldInALine(reopen, 2, "error: 2020S1 of D1 is not signed off; there is nothing to reopen");
        reopen.Error.Split('\n').Should().Equal(
            "lỗi: Số liệu 6 tháng đầu năm 2020 của Huyện Một chưa được ký duyệt; không có gì để mở lại.",
            "error: 2020S1 of D1 is not signed off; there is nothing to reopen");

        (await HostProcess.RunToExitAsync(engine.Storage, "signoff", "--period", "2020S1", "--area", "D1", "--reason", "Đã rà soát")).ExitCode.Should().Be(0);
        var again = Shown(await HostProcess.RunToExitAsync(engine.Storage, "signoff", "--period", "2020S1", "--area", "D1", "--reason", "Lần nữa"));
        ToldInALine(again, 2, "is signed off already");
        var lines = again.Error.Split('\n');
        lines.Should().HaveCount(2);
        lines[0].Should().StartWith("lỗi: Số liệu 6 tháng đầu năm 2020 của Huyện Một đã được ký duyệt (bởi ").And.EndWith("; muốn ký duyệt lại, trước hết mở lại kỳ này.");
        lines[0].Should().Be(lines[0].Normalize(NormalizationForm.FormC));
        lines[1].Should().StartWith("error: 2020S1 of D1 is signed off already (by ").And.EndWith("reopen it first to sign it again");
    }

    [Fact]
    public async Task A_sign_off_or_reopening_of_an_area_or_a_period_that_is_not_there_is_told_in_Vietnamese_then_English_as_its_other_refusals()
    {
        await using var engine = await EvaluatedAsync();

        var area = Shown(await HostProcess.RunToExitAsync(engine.Storage, "signoff", "--period", "2020S1", "--area", "ZZ9", "--reason", "Đã rà soát"));
        ToldInALine(area, 2, "error: unknown area ZZ9");
        area.Error.Split('\n').Should().Equal("lỗi: Không có địa bàn ZZ9.", "error: unknown area ZZ9");

        var period = Shown(await HostProcess.RunToExitAsync(engine.Storage, "signoff", "reopen", "--period", "2030S1", "--area", "D1", "--reason", "Xã Một gửi lại"));
        ToldInALine(period, 2, "error: period 2030S1 has no stored data and no evaluation");
        period.Error.Split('\n').Should().Equal(
            "lỗi: 6 tháng đầu năm 2030 chưa có số liệu nào và chưa được đánh giá.",
            "error: period 2030S1 has no stored data and no evaluation");

        var notAPeriod = Shown(await HostProcess.RunToExitAsync(engine.Storage, "signoff", "--period", "2020S3", "--area", "D1"));
        notAPeriod.Error.Split('\n').Should().Equal(
            "lỗi: '2020S3' không phải mã kỳ; hãy viết 2020 (năm), 2020S1 hoặc 2020S2 (6 tháng).",
            "error: '2020S3' is not a period; write 2020 (year), 2020S1 or 2020S2 (half-years)");
        foreach (var run in new[] { area, period, notAPeriod })
            run.Error.Should().Be(run.Error.Normalize(NormalizationForm.FormC));
    }

    [Fact]
    public async Task An_evaluation_of_an_area_or_a_period_that_is_not_there_is_told_in_Vietnamese_then_English_as_a_sign_off_is()
    {
        await using var engine = await EvaluatedAsync();

        var area = Shown(await HostProcess.RunToExitAsync(engine.Storage, "evaluate", "--period", "2020S1", "--area", "ZZ9"));
        ToldInALine(area, 2, "error: unknown area ZZ9");
        area.Error.Split('\n').Should().Equal("lỗi: Không có địa bàn ZZ9.", "error: unknown area ZZ9");

        var notAPeriod = Shown(await HostProcess.RunToExitAsync(engine.Storage, "evaluate", "--period", "2020S3"));
        notAPeriod.Error.Split('\n').Should().Equal(
            "lỗi: '2020S3' không phải mã kỳ; hãy viết 2020 (năm), 2020S1 hoặc 2020S2 (6 tháng).",
            "error: '2020S3' is not a period; write 2020 (year), 2020S1 or 2020S2 (half-years)");
        notAPeriod.ExitCode.Should().Be(2);

        // An area made after the period lies in no province on its last day.
        await engine.ImportAsync(ImportKind.Areas, "c9.csv", "code,name,level,parent_code,valid_from,valid_to\nC9,Xã Chín,Commune,D1,2021-01-01,2025-06-30\n");
        var outside = Shown(await HostProcess.RunToExitAsync(engine.Storage, "evaluate", "--period", "2020S1", "--area", "C9"));
        outside.ExitCode.Should().Be(2);
        outside.Error.Split('\n').Should().Equal(
            "lỗi: Địa bàn Xã Chín (C9) không thuộc tỉnh nào vào ngày 30/06/2020 (ngày cuối kỳ 2020S1).",
            "error: area C9 is not in any province on 2020-06-30 (the end of 2020S1)");

        var notBegun = Shown(await HostProcess.RunToExitAsync(engine.Storage, "evaluate", "--period", "2099S1"));
        notBegun.ExitCode.Should().Be(2);
        notBegun.Error.Split('\n').Should().HaveCount(2);
        notBegun.Error.Should().StartWith("lỗi: ").And.Contain("\nerror: period 2099S1 has not begun");
        foreach (var run in new[] { area, notAPeriod, outside, notBegun })
        {
            run.Error.Should().Be(run.Error.Normalize(NormalizationForm.FormC));
            run.Output.Should().NotContain("Run #");
        }
    }

    [Fact]
    public async Task Findings_of_a_run_are_listed_as_that_run_left_them_in_every_format_and_a_run_not_of_the_period_is_refused()
    {
        // Run 1 finds XA2 without its regulation; XA2 sends it and run 2 resolves that finding.
        await using var engine = await ApiTestbed.ProvinceAsync(() => Engine.SqliteAsync());
        await engine.ImportAsync(ImportKind.Values, "fix.csv", Province.ValuesHeader + "XA2,2020S1,REGULATION_ISSUED,true,\n");
        await engine.Evaluations.EvaluateAsync("2020S1", null, RunTrigger.Manual);
        long first, second;
        await using (var db = engine.Db())
        {
            var runs = await db.EvaluationRuns.OrderBy(r => r.Id).Select(r => r.Id).ToListAsync();
            (first, second) = (runs[0], runs[^1]);
        }

        static string Row(string csv, string subject) => csv.Split('\n').Single(l => l.Contains(",NQ02-1,Unit," + subject + ",", StringComparison.Ordinal));
        var now = await HostProcess.RunAsync(engine.Storage, "findings", "--period", "2020S1", "--format", "csv");
        Row(now, "XA2").Should().Contain(",Resolved,");

        var asFirst = Shown(await HostProcess.RunToExitAsync(engine.Storage, "findings", "--run", first.ToString(System.Globalization.CultureInfo.InvariantCulture), "--format", "csv"));
        asFirst.ExitCode.Should().Be(0);
        Row(asFirst.Output, "XA2").Should().Contain(",New,", "run 1 opened it");
        asFirst.Output.Split('\n').Should().NotContain(l => l.Contains(",Resolved,", StringComparison.Ordinal), "the first run resolved nothing");

        var second_ = second.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var json = JsonDocument.Parse(await HostProcess.RunAsync(engine.Storage, "findings", "--period", "2020s1", "--run", second_, "--target", "NQ02-1", "--format", "json"));
        json.RootElement.EnumerateArray().Single(f => f.GetProperty("subjectCode").GetString() == "XA2").GetProperty("state").GetString().Should().Be("Resolved");
        var table = await HostProcess.RunAsync(engine.Storage, "findings", "--run", first.ToString(System.Globalization.CultureInfo.InvariantCulture), "--target", "NQ02-1");
        table.Split('\n').Should().ContainSingle(l => l.Contains(" XA2 ", StringComparison.Ordinal)).Which.Should().Contain(" New ");

        var otherPeriod = Shown(await HostProcess.RunToExitAsync(engine.Storage, "findings", "--run", second_, "--period", "2020S2"));
        ToldInALine(otherPeriod, 2, $"error: run {second_} is a run of 2020S1, not of 2020S2; give its period or leave --period out");
        otherPeriod.Error.Should().StartWith($"lỗi: Lần đánh giá #{second_} là của kỳ 2020S1, không phải của kỳ 2020S2");
        var unknown = Shown(await HostProcess.RunToExitAsync(engine.Storage, "findings", "--run", "99999"));
        ToldInALine(unknown, 2, "error: run 99999 is unknown");
        unknown.Error.Should().StartWith("lỗi: Không có lần đánh giá #99999");
        var notEvaluated = Shown(await HostProcess.RunToExitAsync(engine.Storage, "findings", "--period", "2019S1"));
        ToldInALine(notEvaluated, 2, "error: period 2019S1 has not been evaluated");
        notEvaluated.Error.Should().StartWith("lỗi: Kỳ 2019S1 chưa được đánh giá");
        ToldInALine(Shown(await HostProcess.RunToExitAsync(engine.Storage, "findings", "--format", "csv")), 2, "--period");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
