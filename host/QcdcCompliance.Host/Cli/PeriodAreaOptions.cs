namespace QcdcCompliance.Host.Cli;

/// <summary>
/// The period and the area a verb works on, both required (<c>--period 2020S1 --area HT-D05</c>), each described as
/// the verb reads it: the command line's <see cref="Api.PeriodAreaQuery"/>.
/// </summary>
public sealed class PeriodAreaOptions(string period, string area)
{
    public Option<string> Period { get; } = new("--period") { Description = period, Required = true };
    public Option<string> Area { get; } = new("--area") { Description = area, Required = true };

    public (string Period, string Area) Read(ParseResult parse) => (parse.GetValue(Period)!, parse.GetValue(Area)!);
}
