using System.Reflection;
using System.Security.Cryptography;
using NRules.Fluent.Dsl;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation.Facts;
using QcdcCompliance.Import;

namespace QcdcCompliance.Evaluation;

/// <summary>
/// The rules assembly as the engine sees it: the NRules rule classes to compile, and by name the rules a target can
/// use (each shipped target's own, and the shapes). Its <see cref="AssemblyHash"/> is half of every run's rule-set version.
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
            .ToDictionary(r => r.RuleName, StringComparer.OrdinalIgnoreCase);
        AssemblyHash = HashOf(rules);
    }

    public Assembly Assembly { get; }
    public IReadOnlyList<Type> RuleTypes { get; }
    public string AssemblyHash { get; }
    public IEnumerable<ITargetRule> Rules => _targets.Values;

    /// <summary>The rule of that name (any case), or null.</summary>
    public ITargetRule? Find(string name) => _targets.GetValueOrDefault(name.Trim());

    public TargetRuleInfo? DescribeRule(string name) =>
        Find(name) is { } rule
            ? new TargetRuleInfo(rule.RuleName, rule.FixedReads?.Select(i => i.Code).ToList(), rule.NeedsMinimum,
                indicators => rule.CannotRead(indicators.Select(IndicatorCatalogue.Get).ToList()))
            : null;

    private static string HashOf(Assembly assembly)
    {
        // The compiled rules themselves: a deterministic build of the same source gives the same hash.
        if (!string.IsNullOrEmpty(assembly.Location) && File.Exists(assembly.Location))
            return Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(assembly.Location)));
        return Convert.ToHexStringLower(SHA256.HashData(assembly.ManifestModule.ModuleVersionId.ToByteArray()));
    }
}
