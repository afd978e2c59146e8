using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using QcdcCompliance.Findings;
using QcdcCompliance.Import.Files;

namespace QcdcCompliance.Host.Api;

/// <summary>
/// Every finding of a query a chunk at a time, each chunk read by key after the last one's (<see cref="FindingCursor"/>)
/// and given its names and display states: the API's CSV and the command line's lists stream through it, so that no
/// number of findings is too many for memory. Without the evidence unless asked: a province's 498,788 findings exported
/// whole with their evidence unpacked took 1.9 GB (CSV) and 4.9 GB (JSON) before (06/12).
/// </summary>
public static class FindingChunks
{
    public const int Size = 5000;

    /// <param name="asOfRun">The run the rows are read as of (<c>?run=</c>), for their display states; null for the latest runs'.</param>
    public static async IAsyncEnumerable<IReadOnlyList<FindingView>> ReadAsync(QcdcDbContext db, IQueryable<Finding> query, bool withEvidence,
        [EnumeratorCancellation] CancellationToken ct, long? asOfRun = null)
    {
        FindingCursor? after = null;
        while (true)
        {
            var page = after is { } cursor ? cursor.After(query, db) : query;
            var rows = await (withEvidence ? page : page.WithoutEvidence()).Take(Size).ToListAsync(ct);
            yield return await FindingQueries.ViewsAsync(db, rows, ct, asOfRun);
            if (rows.Count < Size)
                yield break;
            after = FindingCursor.Of(rows[^1]);
        }
    }

    /// <summary>
    /// The findings CSV (<see cref="FindingCsv"/>) of a query, a chunk of text at a time: the byte-order mark and the
    /// header, then each chunk's rows. The API's download and <c>qcdc findings --format csv</c> both write it, so their
    /// bytes are the same.
    /// </summary>
    public static async Task WriteCsvAsync(QcdcDbContext db, IQueryable<Finding> query, Func<StringBuilder, Task> write, CancellationToken ct, long? asOfRun = null)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        text.Write(FindingCsv.Bom);
        using (var csv = new CsvWriter(text))
            FindingCsv.WriteHeader(csv);
        await foreach (var chunk in ReadAsync(db, query, withEvidence: false, ct, asOfRun))
        {
            using (var csv = new CsvWriter(text))
            {
                foreach (var view in chunk)
                    FindingCsv.WriteRow(csv, view);
            }

            await write(text.GetStringBuilder());
            text.GetStringBuilder().Clear();
        }
    }
}
