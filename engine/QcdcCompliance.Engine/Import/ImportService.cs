using Microsoft.EntityFrameworkCore;
using QcdcCompliance.Domain;
using QcdcCompliance.Import.Files;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Import;

/// <summary>
/// The one way data comes in, from the CLI and the API alike: a file is read whole, checked whole, and either stored
/// whole in one transaction or refused with every problem listed.
/// </summary>
public sealed class ImportService(
    IDbContextFactory<QcdcDbContext> contexts,
    StorageOptions storage,
    PeriodCalendar calendar,
    ITargetRuleCatalogue rules,
    Evaluation.FactLoader loader,
    IEnumerable<IImportObserver> observers)
{
    public static bool TryParseKind(string text, out ImportKind kind) =>
        Enum.TryParse(text, ignoreCase: true, out kind) && Enum.IsDefined(kind);

    public async Task<ImportSummary> ImportAsync(ImportKind kind, string fileName, byte[] bytes, ImportContext context, CancellationToken ct = default)
    {
        ImportSummary summary;
        using (var activity = Telemetry.QcdcTelemetry.Source.StartActivity("qcdc.import.store"))
        {
            activity?.SetTag("qcdc.import.kind", kind.ToString());
            summary = await StoreAsync(kind, Path.GetFileName(fileName), bytes, context, ct);
            activity?.SetTag("qcdc.import.rows", summary.Rows);
        }

        Telemetry.QcdcTelemetry.ImportRows.Add(summary.Rows, new KeyValuePair<string, object?>("qcdc.import.kind", kind.ToString()));
        foreach (var observer in observers)
            await observer.ImportedAsync(summary, context, ct);
        return summary;
    }

    private async Task<ImportSummary> StoreAsync(ImportKind kind, string file, byte[] bytes, ImportContext context, CancellationToken ct)
    {
        // Started before the context is made (EF's set-up is the longest wait of a short-lived process), disposed after.
        await using var unitsAhead = kind == ImportKind.Values ? ValueImporter.ReadUnitsAhead(storage, bytes.Length) : null;
        await using var db = await contexts.CreateDbContextAsync(ct);
        return kind switch
        {
            ImportKind.Areas => await AreaImporter.ImportAsync(db, Read(file, bytes, AreaImporter.Schema, context.Limits, ct), context, ct),
            ImportKind.Lineage => await LineageImporter.ImportAsync(db, Read(file, bytes, LineageImporter.Schema, context.Limits, ct), context, ct),
            ImportKind.Units => await UnitImporter.ImportAsync(db, Read(file, bytes, UnitImporter.Schema, context.Limits, ct), context, ct),
            ImportKind.Values => await ValueImporter.ImportAsync(db, ReadValues(file, bytes, context, ct), context, calendar, ct, unitsAhead),
            ImportKind.Targets => await TargetSetImporter.ImportAsync(db, file, bytes, context, rules, loader, ct),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    public Task<ImportSummary> ImportFileAsync(ImportKind kind, string path, ImportContext context, CancellationToken ct = default)
    {
        if (!File.Exists(path))
            throw new ImportRejectedException(Path.GetFileName(path), [new ImportProblem(path, 0, "", "the file does not exist; check the path")]);
        return ImportAsync(kind, path, File.ReadAllBytes(path), context, ct);
    }

    /// <summary>
    /// Values in the long format (<c>unit_code,period,indicator,value</c>), or a filled template (<see cref="WideValueTable"/>)
    /// when the header is not the long format's and a code row starting with <c>unit_code</c> stands in the first rows; its
    /// numbers read as the context says when it says (<see cref="ImportContext.Numbers"/>), else as the file writes them.
    /// </summary>
    private static Table ReadValues(string file, byte[] bytes, ImportContext context, CancellationToken ct)
    {
        var limits = context.Limits;
        var table = TableReader.Read(file, bytes, ValueImporter.Schema, new ProblemList(file, limits.MaxProblems), limits, ct);
        if (table.Problems.Any && WideValueTable.TryRead(file, bytes, limits, ct) is { } wide)
            table = wide;
        table.Problems.ThrowIfAny();
        if (context.Numbers is { } numbers)
            table.Numbers = numbers;
        return table;
    }

    /// <summary>Reads the header now, so that a bad header refuses the file before any row is read.</summary>
    private static Table Read(string file, byte[] bytes, IReadOnlyList<Column> schema, ImportLimits limits, CancellationToken ct)
    {
        var table = TableReader.Read(file, bytes, schema, new ProblemList(file, limits.MaxProblems), limits, ct);
        table.Problems.ThrowIfAny();
        return table;
    }
}
