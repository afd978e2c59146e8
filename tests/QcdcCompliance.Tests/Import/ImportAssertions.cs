using QcdcCompliance.Import;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Import;

public static class ImportAssertions
{
    /// <summary>Imports a file that must be refused, and checks that nothing at all was stored.</summary>
    public static async Task<IReadOnlyList<ImportProblem>> RefusedAsync(this Engine engine, ImportKind kind, string file, string content)
    {
        var before = await engine.CountsAsync();
        var refusal = await FluentActions.Awaiting(() => engine.ImportAsync(kind, file, content)).Should().ThrowAsync<ImportRejectedException>();
        (await engine.CountsAsync()).Should().Be(before, "a refused file stores nothing");
        return refusal.Which.Problems;
    }

    public static async Task<IReadOnlyList<ImportProblem>> RefusedAsync(this Engine engine, ImportKind kind, string file, byte[] content)
    {
        var before = await engine.CountsAsync();
        var refusal = await FluentActions.Awaiting(() => engine.ImportAsync(kind, file, content)).Should().ThrowAsync<ImportRejectedException>();
        (await engine.CountsAsync()).Should().Be(before, "a refused file stores nothing");
        return refusal.Which.Problems;
    }

    public static async Task<Engine> WithProvinceAsync(this Task<Engine> engineTask)
    {
        var engine = await engineTask;
        await engine.ImportAsync(ImportKind.Areas, "areas.csv", Province.Areas);
        await engine.ImportAsync(ImportKind.Units, "units.csv", Province.Units);
        return engine;
    }
}
