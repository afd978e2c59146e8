using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Json;

namespace QcdcCompliance.Host.Api;

/// <summary>
/// What the framework refuses before an endpoint runs (a query value that does not bind, a value given twice, a JSON
/// body of the wrong shape), answered under <c>/api</c> as a ValidationProblem naming the parameter or field and what
/// it takes: the framework's own answer said only "GET /api/findings answered 400.". Elsewhere (the dashboard's forms)
/// the bare status, as before, for the pages' own status pages to word.
/// </summary>
public static partial class BindingProblems
{
    /// <summary>Endpoints throw what they cannot bind (instead of answering a bare 400), for <see cref="UseBindingProblems"/> to word.</summary>
    public static IServiceCollection AddBindingProblems(this IServiceCollection services) =>
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

    /// <summary>Innermost, so that the status code pages around it see a bare status for what is not the API's.</summary>
    public static IApplicationBuilder UseBindingProblems(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        // No query parameter of the API takes more than one value: one given twice is refused here, whatever its type,
        // before the endpoint binds it (a number failed to bind; a text was read as the two joined, "HT,HT-D01").
        if (Security.ApiProblem.IsApi(context.Request) && context.GetEndpoint() is not null && GivenTwice(context.Request) is { } twice)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await WriteAsync(context, StatusCodes.Status400BadRequest, twice);
            return;
        }

        try
        {
            await next(context);
            // Routing refuses a body of a type the endpoint does not read before the endpoint runs: say which it reads.
            if (context.Response.StatusCode == StatusCodes.Status415UnsupportedMediaType && !context.Response.HasStarted && Security.ApiProblem.IsApi(context.Request))
                await Security.ApiProblem.WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, "Unsupported Media Type", UnsupportedMediaType(context.Request));
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            context.Response.StatusCode = e.StatusCode;
            if (!Security.ApiProblem.IsApi(context.Request))
                return;
            await WriteAsync(context, e.StatusCode, Describe(context.Request, e));
        }
    });

    /// <summary>What a refusal says: the detail, the errors by parameter or field (the detail again), and the same in Vietnamese.</summary>
    public sealed record Refusal(string Detail, Dictionary<string, string[]> Errors, string? Vietnamese = null)
    {
        public static Refusal Of(string field, string detail, string vietnamese) => new(detail, new() { [field] = [detail] }, vietnamese);
    }

    /// <summary>The problem, in the shape of a ValidationProblem when a parameter is named and a plain ProblemDetails otherwise, in the request's language.</summary>
    private static async Task WriteAsync(HttpContext context, int status, Refusal refusal)
    {
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = status,
            Title = refusal.Errors.Count > 0 ? "One or more validation errors occurred." : Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status),
            Detail = refusal.Detail,
        }.InVietnamese(refusal.Vietnamese);
        if (refusal.Errors.Count > 0)
            problem.Extensions["errors"] = refusal.Errors;
        ProblemLanguage.Localize(context, problem);
        var options = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<JsonOptions>>().Value.SerializerOptions;
        await context.Response.WriteAsJsonAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>(problem, options, "application/problem+json", context.RequestAborted);
    }

    /// <summary>The first query parameter given more than once, refused; null when each is given once.</summary>
    private static Refusal? GivenTwice(HttpRequest request) =>
        request.Query.FirstOrDefault(q => q.Value.Count > 1) is { Key: { } name, Value.Count: var times }
            ? Refusal.Of(name, $"{name} is given {times} times; give it once (no parameter of the API takes more than one value)",
                $"{name} được cho {times} lần; hãy cho một lần (không tham số nào của API nhận nhiều giá trị)")
            : null;

    /// <summary>A ValidationProblem's errors keyed as the API names its parameters and fields: <c>period</c>, not <c>Period</c>.</summary>
    public static void CamelCaseErrors(ProblemDetailsContext context)
    {
        if (context.ProblemDetails is not HttpValidationProblemDetails { Errors: var errors } || errors.Keys.All(k => k.Length == 0 || !char.IsUpper(k[0])))
            return;
        foreach (var key in errors.Keys.Where(k => k.Length > 0 && char.IsUpper(k[0])).ToList())
        {
            var camel = JsonNamingPolicy.CamelCase.ConvertName(key);
            errors[camel] = errors.TryGetValue(camel, out var already) ? [.. already, .. errors[key]] : errors[key];
            errors.Remove(key);
        }
    }

    /// <summary>The framework's sentence (<c>Failed to bind parameter "int? limit" from "abc".</c>) as the API's: the parameter, what it takes.</summary>
    public static Refusal Describe(HttpRequest request, BadHttpRequestException e)
    {
        if (NotBound().Match(e.Message) is { Success: true } bind)
        {
            var name = bind.Groups["name"].Value;
            var message = $"{name} '{bind.Groups["value"].Value}' is not {Takes(bind.Groups["type"].Value, name)}";
            return new(message, new() { [name] = [message] });
        }

        var missing = NotProvided().Match(e.Message);
        if (missing.Success || e.Message.StartsWith("Implicit body inferred", StringComparison.Ordinal))
        {
            var body = missing.Groups["source"].Value is "body" or "";
            var name = body ? "body" : missing.Groups["name"].Value;
            var message = body ? "the request has no body; send a JSON object (Content-Type: application/json)" : $"{name} is required";
            return new(message, new() { [name] = [message] });
        }

        if (NotRead().IsMatch(e.Message))
        {
            var json = e.InnerException as JsonException;
            var field = json?.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : "body";
            (string English, string Vietnamese) where = json?.LineNumber is { } line
                ? ($" (line {line + 1}, byte {json.BytePositionInLine + 1})", $" (dòng {line + 1}, byte {json.BytePositionInLine + 1})")
                : ("", "");
            return json is not null && ConvertedTo().Match(json.Message) is { Success: true } to && JsonTakes(FieldType(to.Groups["type"].Value.TrimEnd('.'), field)) is var (takes, takesVi)
                ? Refusal.Of(field, $"{field} is not {takes}", $"{field} không phải {takesVi}")
                : Refusal.Of(field, $"the body is not a JSON object of the fields this endpoint takes{where.English}",
                    $"nội dung không phải một đối tượng JSON gồm các trường mà endpoint này nhận{where.Vietnamese}");
        }

        if (e.StatusCode == StatusCodes.Status415UnsupportedMediaType)
            return new(UnsupportedMediaType(request), []);
        return new(e.Message, []);
    }

    /// <summary>What the 415 of a body says: the content type sent, and those the endpoint reads.</summary>
    public static string UnsupportedMediaType(HttpRequest request)
    {
        var takes = request.Path.StartsWithSegments("/api/imports")
            ? $"the file itself as the body, with Content-Type {string.Join(", ", ImportsApi.BodyTypes)} (curl --data-binary @file.csv -H 'Content-Type: text/csv'; not a multipart form)"
            : "a JSON body with Content-Type application/json";
        return $"a body of Content-Type '{request.ContentType ?? "(none)"}' is not read here; {request.Method} {request.Path} takes {takes}";
    }

    private static string Takes(string type, string name) => (type.StartsWith("Nullable<", StringComparison.Ordinal) ? type[9..^1] : type.TrimEnd('?')) switch
    {
        "int" or "long" or "Int32" or "Int64" when name == "limit" => $"a whole number from 1 to {Paging.MaxLimit}",
        "int" or "long" or "Int32" or "Int64" => "a whole number",
        "DateOnly" => "a date written yyyy-mm-dd that exists (e.g. 2025-07-01)",
        "bool" => "true or false",
        var other => $"a value of type {other}",
    };

    /// <summary>
    /// The type of the field a JSON value did not convert to: a record built by its constructor is named in the message
    /// (<c>...converted to QcdcCompliance.Host.Api.SignOffRequest</c>), not its field's type.
    /// </summary>
    private static string FieldType(string converted, string field)
    {
        var property = typeof(BindingProblems).Assembly.GetType(converted)?.GetProperties()
            .FirstOrDefault(p => string.Equals(p.Name, field, StringComparison.OrdinalIgnoreCase));
        return property is null ? converted : (Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType).FullName ?? converted;
    }

    private static (string English, string Vietnamese) JsonTakes(string type) => type switch
    {
        "System.String" => ("a text in quotes (e.g. \"2020S1\")", "một chuỗi trong dấu ngoặc kép (ví dụ \"2020S1\")"),
        "System.Int32" or "System.Int64" => ("a whole number", "một số nguyên"),
        "System.Boolean" => ("true or false", "true hoặc false"),
        _ => ($"a value of type {type[(type.LastIndexOf('.') + 1)..]}", $"một giá trị kiểu {type[(type.LastIndexOf('.') + 1)..]}"),
    };

    [GeneratedRegex("""^Failed to bind parameter "(?<type>.+) (?<name>\w+)" from "(?<value>.*)"\.$""", RegexOptions.Singleline)]
    private static partial Regex NotBound();

    [GeneratedRegex("""^Required parameter "(?<type>.+) (?<name>\w+)" was not provided from (?<source>[\w ]+)\.$""")]
    private static partial Regex NotProvided();

    [GeneratedRegex("""^Failed to read parameter "(?<type>.+) (?<name>\w+)" from the request body as JSON\.$""")]
    private static partial Regex NotRead();

    [GeneratedRegex("""could not be converted to (?<type>[\w.`\[\]]+)""")]
    private static partial Regex ConvertedTo();
}
