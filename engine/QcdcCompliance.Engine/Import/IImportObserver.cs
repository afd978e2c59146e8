namespace QcdcCompliance.Import;

/// <summary>Told of every accepted import, after it committed (to schedule the evaluation of the scopes it touched).</summary>
public interface IImportObserver
{
    Task ImportedAsync(ImportSummary summary, ImportContext context, CancellationToken ct);
}
