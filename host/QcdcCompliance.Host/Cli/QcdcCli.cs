using System.Text;
using QcdcCompliance.Import;
using QcdcCompliance.Reports;

namespace QcdcCompliance.Host.Cli;

/// <summary>The <c>qcdc</c> command line: one verb a file.</summary>
public static class QcdcCli
{
    public static RootCommand Build()
    {
        var root = new RootCommand("QcdcCompliance: tracks whether the units of a province meet the targets of a grassroots-democracy resolution.")
        {
            CliServices.Provider,
            CliServices.Database,
        };
        foreach (var verb in new[]
                 {
                     MigrateVerb.Create(), ImportVerb.Create(), EvaluateVerb.Create(), FindingsVerb.Create(), ExplainVerb.Create(),
                     ServeVerb.Create(), OutboxVerb.Create(), DemoDataVerb.Create(), DemoVerb.Create(), IndicatorsVerb.Create(), ReportVerb.Create(), CompletenessVerb.Create(), TemplateVerb.Create(),
                     KeysVerb.Create(), AuditVerb.Create(), WhatIfVerb.Create(), SignOffVerb.Create(),
                 })
        {
            root.Subcommands.Add(verb);
        }

        return root;
    }

    /// <summary>A verb that could not do its work: a refused file (every problem listed), a database server it cannot reach.</summary>
    public const int FailedExitCode = 1;

    /// <summary>A mistake in the arguments or the settings: an unknown verb or option, a bad value, a period, area, file or database that is not there, a wrong password.</summary>
    public const int UsageExitCode = 2;

    /// <summary>
    /// Runs a verb. Refused imports exit 1 with every problem listed, as does a database that cannot be reached; mistakes
    /// in the arguments exit 2, those System.CommandLine finds itself (an unknown option, a bad value) too, which it would
    /// exit 1 for: a script tells "my command line is wrong" from "the file was refused".
    /// </summary>
    /// <summary>How long a stop asked for waits for the verb to end before the process is ended under it.</summary>
    public static readonly TimeSpan StopWait = TimeSpan.FromMinutes(2);

    public static async Task<int> RunAsync(string[] args)
    {
        Console.OutputEncoding = Encoding.UTF8;
        var parse = Build().Parse(args);
        if (parse.CommandResult.Command.Name != "serve")
            ResolveServicesWithoutCompiling();
        try
        {
            // A stop asked for (Ctrl+C, SIGTERM) cancels the verb's token and waits for it to end: `outbox deliver` lets the
            // message the relay holds run to its answer (within Alerts:Smtp:Timeout, 60 s by default) and marks it sent.
            // System.CommandLine's own wait, 2 s, ended the process under it, and the message went out twice.
            var exit = await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = StopWait });
            return parse.Errors.Count > 0 ? UsageExitCode : exit;
        }
        catch (ImportRejectedException e)
        {
            Rejected(e, importing: args.FirstOrDefault() == "import");
            return FailedExitCode;
        }
        catch (Decisions.SignOffRefusedException e)
        {
            return Refused(e.SentenceVi, e.Message);
        }
        catch (Domain.EvaluationRequestException e) when (e.SentenceVi is { } vietnamese)
        {
            return Refused(vietnamese, e.MessageEn);
        }
        catch (Settings.CliException e) when (e.MessageVi is { } vietnamese)
        {
            return Refused(vietnamese, e.Message);
        }
        catch (Exception e) when (e is Settings.CliException or Domain.EvaluationRequestException or NewerDatabaseException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return UsageExitCode;
        }
        catch (Exception e) when (CliFailures.Describe(e, StorageOf(parse)) is { } failure)
        {
            Console.Error.WriteLine($"error: {failure}");
            return CliFailures.IsSettingsMistake(e) ? UsageExitCode : FailedExitCode;
        }
    }

    /// <summary>
    /// A request refused (an unknown period or area, a sign-off, an evaluation a sign-off locks) in Vietnamese first, then
    /// in English, as explain says a finding: the Vietnamese is the API's <c>messageVi</c>, the English its detail. Exit 2.
    /// </summary>
    private static int Refused(string vietnamese, string english)
    {
        Console.Error.WriteLine($"lỗi: {vietnamese}");
        Console.Error.WriteLine($"error: {english}");
        return UsageExitCode;
    }

    /// <summary>
    /// A refused file: each problem in Vietnamese first, where it is (row and column, or the template's cell, unit and
    /// indicator) and how to fix it, as the API's <c>whereVi</c> and <c>messageVi</c> and the upload page word it
    /// (<see cref="ImportWording"/>, the command named as the way out), then as the file names it in English
    /// (<c>file:row:column: message</c>, what a script reads); the count, likewise.
    /// </summary>
    private static void Rejected(ImportRejectedException e, bool importing)
    {
        var vi = DisplayFormat.Vietnamese;
        foreach (var problem in e.Problems)
        {
            var where = ImportWording.Where(problem);
            Console.Error.WriteLine($"{problem.File}: {(where == "tệp" ? "" : where + ": ")}{ImportWording.Vietnamese(problem, WordingSurface.Terminal)}");
            Console.Error.WriteLine(problem);
        }

        if (e.NotListed > 0)
        {
            Console.Error.WriteLine($"… và {vi.Number(e.NotListed)} lỗi khác chưa liệt kê: hãy sửa các lỗi trên trước.");
            Console.Error.WriteLine($"… and {e.NotListed:N0} more problem(s), not listed: fix the ones above first.");
        }

        // A what-if or a report reads a proposed target set through the same checks, and stores nothing either way.
        Console.Error.WriteLine($"Tệp {e.File} bị từ chối: {vi.Number(e.Total)} lỗi. Không có gì được lưu; hãy sửa rồi {(importing ? "nhập lại tệp" : "chạy lại lệnh")}.");
        Console.Error.WriteLine($"{e.File} was refused: {e.Total} problem(s). Nothing was stored; fix them and {(importing ? "import the file again" : "run the command again")}.");
    }

    private static StorageOptions? StorageOf(ParseResult parse)
    {
        try
        {
            return Settings.QcdcConfiguration.Storage(CliServices.Configuration(parse));
        }
        catch (Settings.CliException)
        {
            return null;
        }
    }

    /// <summary>
    /// A verb is a short process: its service providers (the engine's and EF Core's own) resolve each service by
    /// reflection instead of compiling a resolver for it once it has been asked for twice. Those compilations ran on the
    /// second core the verb's own work needs: about 110 of them in an evaluation, the verb's start 0.1 s later
    /// (the heavy profile, 06/12). The web host (<c>serve</c>) keeps the compiled resolvers it serves requests with.
    /// Read once, when the first provider is built.
    /// </summary>
    private static void ResolveServicesWithoutCompiling() =>
        AppContext.SetSwitch("Microsoft.Extensions.DependencyInjection.DisableDynamicEngine", true);
}
