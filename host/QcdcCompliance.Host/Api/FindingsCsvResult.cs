using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.Http.Metadata;

namespace QcdcCompliance.Host.Api;

/// <summary>
/// Every finding of a query as the CSV that <c>qcdc findings --format csv</c> prints, byte for byte, streamed in
/// chunks read by key so that no number of findings is too many.
/// </summary>
public sealed class FindingsCsvResult(QcdcDbContext db, IQueryable<Finding> query, string fileName, long? asOfRun = null) : IResult, IEndpointMetadataProvider
{
    public const string ContentType = "text/csv";

    public async Task ExecuteAsync(HttpContext context)
    {
        var ct = context.RequestAborted;
        context.Response.ContentType = ContentType + "; charset=utf-8";
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        await FindingChunks.WriteCsvAsync(db, query, text => context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text.ToString()), ct).AsTask(), ct, asOfRun);
    }

    /// <summary>Beside the endpoint's JSON answer: a 200 metadata of its own would replace the JSON one in the OpenAPI document.</summary>
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new AlsoAnswers(false, ContentType));
}
