namespace QcdcCompliance.Domain;

// In Domain, not Import: the evaluation implements it and the import (which checks a set's sign-offs with the
// evaluation's own choice of targets) uses it, so neither namespace depends on the other both ways.

/// <summary>What the importer needs to know of the rules: which rules exist by name, and what each can read.</summary>
public interface ITargetRuleCatalogue
{
    /// <summary>The rule named <paramref name="name"/>, or null when there is no such rule.</summary>
    TargetRuleInfo? DescribeRule(string name);
}

/// <summary>
/// A rule's name as it spells it, the indicators it always reads (null for a shape, which reads its target's), whether
/// it tests a count against the target's minimum, and why it cannot read a list of indicators (null when it can).
/// </summary>
public sealed record TargetRuleInfo(string Name, IReadOnlyList<string>? Indicators, bool NeedsMinimum, Func<IReadOnlyList<string>, string?> CannotRead);
