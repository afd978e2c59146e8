using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Import;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Reliability;

/// <summary>What one import of a hostile file did: stored it whole, or refused it and stored nothing.</summary>
public sealed record ImportOutcome(ImportSummary? Summary, ImportRejectedException? Refusal)
{
    public bool Refused => Refusal is not null;

    public override string ToString() =>
        Summary is not null ? $"accepted: {Summary}" : $"refused: {string.Join(" | ", Refusal!.Problems.Take(5))}";
}

public static class ImportProbe
{
    /// <summary>
    /// Imports a file and checks the invariants every file must keep, whatever its bytes: the import either succeeds
    /// or throws <see cref="ImportRejectedException"/> (any other exception escapes and fails the test); a refusal
    /// lists at least one problem and leaves every table as it was; a success stores exactly what its summary says.
    /// </summary>
    public static async Task<ImportOutcome> ImportAsync(Engine engine, ImportKind kind, string file, byte[] bytes)
    {
        var before = await engine.CountsAsync();
        var rowsBefore = await RowsAsync(engine, kind);
        try
        {
            var summary = await engine.ImportAsync(kind, file, bytes);
            var grown = await RowsAsync(engine, kind) - rowsBefore;
            if (kind == ImportKind.Values)
                grown.Should().Be(summary.Inserted, $"an accepted values file stores every new row it holds ({summary})");
            else if (kind == ImportKind.Units)
                grown.Should().Be(summary.Inserted, $"an accepted units file stores every new unit it holds ({summary})");
            return new ImportOutcome(summary, null);
        }
        catch (ImportRejectedException e)
        {
            e.Problems.Should().NotBeEmpty("a refusal says what is wrong");
            e.Problems.Should().OnlyContain(p => p.Message.Length > 0 && p.File.Length > 0);
            (await engine.CountsAsync()).Should().Be(before, $"a refused file stores nothing ({string.Join(" | ", e.Problems.Take(3))})");
            return new ImportOutcome(null, e);
        }
    }

    private static async Task<int> RowsAsync(Engine engine, ImportKind kind)
    {
        await using var db = engine.Db();
        return kind switch
        {
            ImportKind.Values => await db.DataValues.CountAsync(),
            ImportKind.Units => await db.Units.CountAsync(),
            _ => 0,
        };
    }
}
