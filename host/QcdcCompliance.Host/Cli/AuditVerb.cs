using QcdcCompliance.Audit;

namespace QcdcCompliance.Host.Cli;

/// <summary><c>qcdc audit verify</c>: recomputes the audit chain and names the first link that does not match.</summary>
public static class AuditVerb
{
    public const int BrokenExitCode = 4;

    public static Command Create()
    {
        var from = new Option<long?>("--from") { Description = "First link to check (default 1); the link before it anchors the check", CustomParser = r => CliValues.WholeNumber(r, 1) };
        var to = new Option<long?>("--to") { Description = "Last link to check (default: the head of the chain)", CustomParser = r => CliValues.WholeNumber(r, 1) };
        var verify = new Command("verify", $"Recompute the chain of runs (with their findings and area results) and finding actions; exit {BrokenExitCode} at the first link that does not match.")
        {
            from, to,
        };
        verify.SetServicesAction(async (parse, services, ct) =>
        {
            if (parse.GetValue(from) is { } first && parse.GetValue(to) is { } last && last < first)
                throw new Settings.CliException($"--to {last} is before --from {first}: give the first link, then the last");
            var result = await services.GetRequiredService<AuditVerifier>().VerifyAsync(parse.GetValue(from), parse.GetValue(to), ct);
            // A range past the head checks nothing: that is no verification, and it is not told as one.
            if (parse.GetValue(from) > result.HeadSequence || parse.GetValue(to) > result.HeadSequence)
            {
                throw new Settings.CliException(result.HeadSequence == 0
                    ? "the audit chain is empty: nothing has been evaluated or signed off yet"
                    : $"the chain's head is link {result.HeadSequence}: give --from and --to from 1 to {result.HeadSequence}");
            }

            if (result.FirstBreak is { } broken)
            {
                var record = broken.Id is { } id ? $"{broken.Kind.ToString().ToLowerInvariant()} #{id}" : broken.Kind.ToString().ToLowerInvariant();
                Console.WriteLine($"BROKEN at link {broken.Sequence} ({record}): {broken.Problem}");
                if (broken.Expected is not null || broken.Stored is not null)
                    Console.WriteLine($"  computed {broken.Expected ?? "-"}\n  stored   {broken.Stored ?? "-"}");
                Console.WriteLine($"{result.Checked} link(s) before it matched.");
                return BrokenExitCode;
            }

            Console.WriteLine($"OK: links {result.From} to {result.To} match ({result.Checked} checked); the head is at link {result.HeadSequence}.");
            return 0;
        });
        return new Command("audit", "The tamper-evident audit chain.") { verify };
    }
}
