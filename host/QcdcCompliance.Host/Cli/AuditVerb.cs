using QcdcCompliance.Audit;

namespace QcdcCompliance.Host.Cli;

/// <summary><c>qcdc audit verify</c>: recomputes the audit chain and names the first link that does not match.</summary>
public static class AuditVerb
{
    public const int BrokenExitCode = 4;

    public static Command Create()
    {
        var from = new Option<long?>("--from") { Description = "First link to check (default 1); the link before it anchors the check" };
        var to = new Option<long?>("--to") { Description = "Last link to check (default: the head of the chain)" };
        var verify = new Command("verify", $"Recompute the chain of runs (with their findings and area results) and finding actions; exit {BrokenExitCode} at the first link that does not match.")
        {
            from, to,
        };
        verify.SetServicesAction(async (parse, services, ct) =>
        {
            var result = await services.GetRequiredService<AuditVerifier>().VerifyAsync(parse.GetValue(from), parse.GetValue(to), ct);
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
