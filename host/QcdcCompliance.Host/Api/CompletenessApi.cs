using System.ComponentModel.DataAnnotations;
using QcdcCompliance.Submissions;

namespace QcdcCompliance.Host.Api;

/// <summary>The period of a completeness answer: its code and days, not the stored row (an internal id, 0 for a period never stored).</summary>
public sealed record CompletenessPeriodDto(string Code, PeriodType Type, DateOnly Start, DateOnly End);

/// <summary>
/// Completeness of an area in a period as the API answers it: the area and period by code, never the EF entities.
/// <c>Children</c> ends with the units attached directly to the area, under its own code with <c>ownUnits: true</c>
/// (as <c>/api/compliance</c> gives them), so that the children add up to <c>Totals</c>. <c>Units</c> is one page
/// (<see cref="Limit"/> units; <see cref="Next"/> the cursor of the following page, null on the last), as every list of
/// the API is; the figures are always the whole area's. The command line's JSON has every unit, and no limit.
/// </summary>
public sealed record CompletenessDto(
    CompletenessPeriodDto Period, AreaRef Area, DateOnly Deadline, int DaysLeft, AreaSubmissions Totals, IReadOnlyList<AreaSubmissions> Children,
    IReadOnlyList<UnitSubmission> Units, IReadOnlyList<RateAt> Trend, string? Next = null, int? Limit = null)
{
    /// <summary>As the API writes it (web defaults, enums by name, Vietnamese unescaped): <c>qcdc completeness --format json</c> prints the same.</summary>
    public static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public static CompletenessDto Of(CompletenessView v) => new(new CompletenessPeriodDto(v.Period.Code, v.Period.Type, v.Period.Start, v.Period.End),
        v.Area.AsRef(), v.Deadline, v.DaysLeft, v.Totals, v.Parts, v.Units, v.Trend);

    /// <summary>
    /// The answer with one page of its units: <paramref name="size"/> of them after <paramref name="after"/> (null: from the
    /// first), by unit code (<see cref="CompletenessCursor"/>: the one key that does not change between two pages).
    /// </summary>
    public CompletenessDto Page(CompletenessCursor? after, int size)
    {
        var byCode = Units.OrderBy(u => u.UnitCode, StringComparer.Ordinal);
        var rows = (after is { } cursor ? byCode.Where(cursor.Precedes) : byCode).Take(size + 1).ToList();
        var page = rows.Take(size).ToList();
        return this with { Units = page, Next = rows.Count > size ? CompletenessCursor.Of(page[^1]).Encode() : null, Limit = size };
    }
}

/// <summary>
/// Who has reported, who is late and who has not started, in the caller's area (or an area inside it) for a period:
/// units expected by their duties, complete on time, late, partial, missing; the reporting rate and its trend.
/// </summary>
public static class CompletenessApi
{
    public static RouteGroupBuilder MapCompletenessApi(this IEndpointRouteBuilder api)
    {
        var group = api.Resource("/completeness", "Completeness", QcdcPolicies.Reference);
        group.MapGet("/", GetCompleteness)
            .Described("GetCompleteness",
                "Units expected to report in the period (by their duties): on time, late, partial, missing; per child area; the rate over past periods. "
                + "The units are paged by cursor (?limit=, ?cursor= from 'next'), by unit code; the figures are the whole area's",
                StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        return group;
    }

    public static async Task<Results<Ok<CompletenessDto>, ProblemHttpResult>> GetCompleteness(
        [AsParameters] PeriodAreaQuery query, string? cursor, [Range(1, Paging.MaxLimit, ErrorMessage = Paging.LimitRange)] int? limit,
        Caller caller, CompletenessQueries completeness, CancellationToken ct)
    {
        if (Paging.Refusal<CompletenessCursor>(limit, cursor, CompletenessCursor.TryDecode, out var size, out var after) is { } badPage)
            return badPage;
        return await caller.AnswerAsync(query.Area, caller.LastDayOf(query.Period),
            async area => TypedResults.Ok(CompletenessDto.Of(await completeness.ForAreaAsync(query.Period!, area.Code, ct)).Page(after, size)), ct);
    }
}
