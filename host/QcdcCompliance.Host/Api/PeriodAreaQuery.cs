using System.ComponentModel.DataAnnotations;

namespace QcdcCompliance.Host.Api;

/// <summary>
/// The query of the reads that are asked per period and area (<c>?period=2020S1&amp;area=HT-D05</c>), checked by
/// ASP.NET Core's validation before the endpoint runs: a missing or malformed period is a 400 naming the parameter.
/// The area defaults to the principal's own; an area unknown or outside it is the endpoint's 404.
/// </summary>
public sealed class PeriodAreaQuery
{
    public const string PeriodPattern = @"^\s*\d{4}(\s*[sS][12])?\s*$";
    public const string PeriodHint = "write 2020 (year), 2020S1 or 2020S2 (half-years)";

    /// <summary>What a 400 says of a period code that is not one.</summary>
    public static string NotAPeriod(string? text) => $"'{text}' is not a period; {PeriodHint}";

    [Required(ErrorMessage = "period is required (e.g. ?period=2020S1)")]
    [RegularExpression(PeriodPattern, ErrorMessage = "period is not a period; " + PeriodHint)]
    public string? Period { get; init; }

    [StringLength(64, ErrorMessage = "area is an area code of at most 64 characters")]
    public string? Area { get; init; }
}
