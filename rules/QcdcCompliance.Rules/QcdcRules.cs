using System.Reflection;

namespace QcdcCompliance.Rules;

/// <summary>The rules assembly and the target sets that ship with it (INDICATORS.md, as JSON in TargetSets/).</summary>
public static class QcdcRules
{
    public static Assembly Assembly => typeof(QcdcRules).Assembly;

    /// <summary>The shipped target sets, in a fixed order: file name and content.</summary>
    public static IReadOnlyList<(string Name, byte[] Content)> TargetSets()
    {
        var result = new List<(string, byte[])>();
        foreach (var name in Assembly.GetManifestResourceNames().Where(n => n.StartsWith("TargetSets/", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = Assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            result.Add((name["TargetSets/".Length..], copy.ToArray()));
        }

        return result;
    }
}
