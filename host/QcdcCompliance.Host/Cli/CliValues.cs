using System.CommandLine.Parsing;
using System.Globalization;

namespace QcdcCompliance.Host.Cli;

/// <summary>
/// Option values read with the words a user knows: a value that does not parse is named with the values the option
/// takes ("New, Persisting or Resolved", "a whole number from 1"), never with the .NET type it is read into.
/// </summary>
public static class CliValues
{
    /// <summary>One of an enumeration's names, in any case (named in lower case when the verb writes them so).</summary>
    public static TEnum? OneOf<TEnum>(ArgumentResult result, bool lowerCase = false) where TEnum : struct, Enum
    {
        var text = result.Tokens.Single().Value;
        if (Enum.TryParse<TEnum>(text.Trim(), ignoreCase: true, out var value) && !char.IsAsciiDigit(text.Trim().FirstOrDefault()) && Enum.IsDefined(value))
            return value;
        result.AddError($"{Name(result)} '{text}': write {Either(Enum.GetNames<TEnum>().Select(n => lowerCase ? n.ToLowerInvariant() : n).ToList())}");
        return null;
    }

    /// <summary>A whole number from <paramref name="least"/> (to <paramref name="most"/>).</summary>
    public static long? WholeNumber(ArgumentResult result, long least, long most = long.MaxValue) => WholeNumber(result.Tokens.Single().Value, result, least, most);

    /// <summary>One of an argument's several values.</summary>
    public static long? WholeNumber(string text, ArgumentResult result, long least, long most = long.MaxValue)
    {
        if (long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= least && value <= most)
            return value;
        var range = most == long.MaxValue ? $"from {least.ToString(CultureInfo.InvariantCulture)}" : $"from {least.ToString(CultureInfo.InvariantCulture)} to {most.ToString(CultureInfo.InvariantCulture)}";
        result.AddError($"{Name(result)} '{text}': write a whole number {range}");
        return null;
    }

    public static string Either(IReadOnlyList<string> names) =>
        names.Count == 1 ? names[0] : $"{string.Join(", ", names.Take(names.Count - 1))} or {names[^1]}";

    private static string Name(ArgumentResult result) => result.Parent switch
    {
        OptionResult option => option.Option.Name,
        _ => result.Argument.Name,
    };
}
