using System.Reflection;
using System.Security.Cryptography;
using NRules.Fluent.Dsl;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Import;

namespace QcdcCompliance.Evaluation;

/// <summary>
/// The rules assembly as the engine sees it: the NRules rule classes to compile, and for each target code the rule
/// class that measures it. Its <see cref="AssemblyHash"/> is half of every run's rule-set version.
/// </summary>
public sealed class TargetRuleCatalogue : ITargetRuleCatalogue
{
    private readonly Dictionary<string, ITargetRule> _targets;

    public TargetRuleCatalogue(Assembly rules)
    {
        Assembly = rules;
        RuleTypes = rules.GetTypes().Where(t => t is { IsAbstract: false, IsClass: true } && typeof(Rule).IsAssignableFrom(t)).OrderBy(t => t.FullName, StringComparer.Ordinal).ToList();
        _targets = RuleTypes.Where(t => typeof(ITargetRule).IsAssignableFrom(t))
            .Select(t => (ITargetRule)Activator.CreateInstance(t)!)
            .ToDictionary(r => r.Code, StringComparer.OrdinalIgnoreCase);
        AssemblyHash = HashOf(rules);
    }

    public Assembly Assembly { get; }
    public IReadOnlyList<Type> RuleTypes { get; }
    public string AssemblyHash { get; }
    public IEnumerable<ITargetRule> Targets => _targets.Values;

    public ITargetRule? Find(string code) => _targets.GetValueOrDefault(code);

    public TargetRuleInfo? DescribeRule(string targetCode) =>
        Find(targetCode) is { } rule ? new TargetRuleInfo(rule.Code, rule.Reads.Select(i => i.Code).ToList(), rule.NeedsMinimum) : null;

    private static string HashOf(Assembly assembly)
    {
        // The compiled rules themselves: a deterministic build of the same source gives the same hash.
        if (!string.IsNullOrEmpty(assembly.Location) && File.Exists(assembly.Location))
            return Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(assembly.Location)));
        return Convert.ToHexStringLower(SHA256.HashData(assembly.ManifestModule.ModuleVersionId.ToByteArray()));
    }
}
