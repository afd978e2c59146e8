using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;

namespace QcdcCompliance.Host.Api;

/// <summary>
/// The query of the reads that are asked per period and area (<c>?period=2020S1&amp;area=HT-D05</c>), checked by
/// ASP.NET Core's validation before the endpoint runs: a missing or malformed period is a 400 naming the parameter.
/// The area defaults to the principal's own; an area unknown or outside it is the endpoint's 404.
/// </summary>
public sealed class PeriodAreaQuery
{
    public const string PeriodHint = Caller.PeriodHint;

    /// <summary>What a 400 says of a period code that is not one (<see cref="Caller.NotAPeriod"/>).</summary>
    public static string NotAPeriod(string? text) => Caller.NotAPeriod(text);

    [FromQuery(Name = "period")]
    [Required(ErrorMessage = "period is required (e.g. ?period=2020S1)")]
    [PeriodCode]
    public string? Period { get; init; }

    [FromQuery(Name = "area")]
    [StringLength(64, ErrorMessage = "area is an area code of at most 64 characters")]
    public string? Area { get; init; }
}

/// <summary>
/// A period code as every endpoint reads it (<see cref="QcdcCompliance.Domain.PeriodCode.TryParse"/>: a year from 1990
/// to 2100, ASCII digits): <c>0000S1</c> or fullwidth digits are the same 400 here as at the endpoints that parse the
/// code themselves, never a lookup that answers 404.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class PeriodCodeAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is not string text || QcdcCompliance.Domain.PeriodCode.TryParse(text, out _)
            ? ValidationResult.Success
            : new ValidationResult(PeriodAreaQuery.NotAPeriod(text), validationContext.MemberName is { } member ? [member] : null);
}
