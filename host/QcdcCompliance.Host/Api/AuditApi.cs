using System.Globalization;
using QcdcCompliance.Audit;

namespace QcdcCompliance.Host.Api;

public sealed record ChainBreakDto(long Sequence, ChainRecordKind Kind, long? Id, string Problem, string? Expected, string? Stored);

public sealed record ChainVerificationDto(bool Ok, long From, long To, int Checked, long HeadSequence, ChainBreakDto? FirstBreak);

/// <summary>Recomputes the audit chain (runs with their findings and area results, and finding actions) and names the first link that does not match.</summary>
public static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this IEndpointRouteBuilder api)
    {
        var group = api.Resource("/audit", "Audit", QcdcPolicies.Read);
        group.MapGet("/verify", Verify)
            .Described("VerifyAuditChain",
                "Verify the chain, or part of it: ?from=&to= as link numbers (e.g. 120, up to the head) or dates (yyyy-mm-dd, inclusive; days in Viet Nam, Asia/Ho_Chi_Minh) of when links were recorded",
                StatusCodes.Status400BadRequest);
        return group;
    }

    public static async Task<Results<Ok<ChainVerificationDto>, ProblemHttpResult>> Verify(string? from, string? to, AuditVerifier verifier, CancellationToken ct)
    {
        if (!TryBound(from, out var fromLink, out var fromDay) || !TryBound(to, out var toLink, out var toDay))
            return Caller.BadRequest($"from and to are link numbers (1, 2, ...) or dates (yyyy-mm-dd) between {DateBounds.Min:yyyy-MM-dd} and {DateBounds.Max:yyyy-MM-dd}")
                .InVietnamese($"from và to là số thứ tự mắt xích (1, 2, ...) hoặc ngày (yyyy-mm-dd) từ {DateBounds.Min:yyyy-MM-dd} đến {DateBounds.Max:yyyy-MM-dd}");
        if ((DateBounds.Reversed(fromLink, toLink) ?? DateBounds.Reversed(fromDay, toDay)) is { } reversed)
            return reversed;
        if (fromDay is not null || toDay is not null)
        {
            var range = await verifier.SequencesBetweenAsync(
                fromDay is { } first ? DateBounds.StartUtc(first) : null, toDay is { } last ? DateBounds.StartUtc(last.AddDays(1)) : null, ct);
            if (range is null)
                return TypedResults.Ok(new ChainVerificationDto(true, 0, 0, 0, 0, null));
            fromLink ??= fromDay is null ? null : range.Value.From;
            toLink ??= toDay is null ? null : range.Value.To;
        }

        var result = await verifier.VerifyAsync(fromLink, toLink, ct);
        // A range past the head checks nothing: that is no verification, and it is not answered as one (as the CLI refuses it).
        if (fromLink > result.HeadSequence || toLink > result.HeadSequence)
        {
            return Caller.Invalid(fromLink > result.HeadSequence ? "from" : "to", result.HeadSequence == 0
                    ? "the audit chain is empty: nothing has been evaluated or signed off yet"
                    : $"the chain's head is link {result.HeadSequence}: give from and to from 1 to {result.HeadSequence}")
                .InVietnamese(result.HeadSequence == 0
                    ? "chuỗi kiểm toán còn trống: chưa có lần đánh giá hay ký duyệt nào"
                    : $"mắt xích cuối của chuỗi kiểm toán là mắt xích {result.HeadSequence}: from và to phải từ 1 đến {result.HeadSequence}");
        }

        return TypedResults.Ok(result.AsDto());
    }

    private static bool TryBound(string? text, out long? link, out DateOnly? day)
    {
        (link, day) = (null, null);
        if (string.IsNullOrWhiteSpace(text))
            return true;
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            link = number;
            return true;
        }

        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) && DateBounds.Allows(date))
        {
            day = date;
            return true;
        }

        return false;
    }

    public static ChainVerificationDto AsDto(this ChainVerification v) => new(v.Ok, v.From, v.To, v.Checked, v.HeadSequence,
        v.FirstBreak is { } b ? new ChainBreakDto(b.Sequence, b.Kind, b.Id, b.Problem, b.Expected, b.Stored) : null);
}
