using System.Security.Cryptography;
using System.Text;

namespace QcdcCompliance.Evaluation;

/// <summary>The rule-set version of a run: the hash of the compiled rules and of the target sets in force.</summary>
public static class RuleSetVersion
{
    public static string Of(string rulesAssemblyHash, IEnumerable<string> targetSetHashes)
    {
        var text = rulesAssemblyHash + "|" + string.Join("|", targetSetHashes.Order(StringComparer.Ordinal));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
