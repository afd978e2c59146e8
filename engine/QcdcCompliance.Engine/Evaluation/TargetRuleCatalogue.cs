using System.Reflection;
using System.Security.Cryptography;
using NRules.Fluent.Dsl;
using QcdcCompliance.Domain;
using QcdcCompliance.Evaluation.Facts;

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

    /// <summary>
    /// What the compiled rules are: the heaps of the assembly's metadata (names, signatures, constants, attributes' values,
    /// string literals) and every method's IL in token order. The same source gives the same hash wherever it was built
    /// and however it runs. The file's bytes (hashed until 05/12) also held the folder it was built in (the PDB's path)
    /// and, once published ReadyToRun, native code: `dotnet run` and the installed `qcdc` were two rule-set versions of
    /// one source, and a build in another folder a third, so that such a program wrote every open finding again as
    /// changed. The metadata's tables are left out: they hold where each method's IL sits, which ReadyToRun moves; the
    /// module's MVID too (a hash of the whole file). The rules project leaves the commit out of its version attribute.
    /// </summary>
    private static unsafe string HashOf(Assembly assembly)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        if (!System.Reflection.Metadata.AssemblyExtensions.TryGetRawMetadata(assembly, out var blob, out var length))
            throw new InvalidOperationException($"the metadata of {assembly.GetName().Name} cannot be read");
        var reader = new System.Reflection.Metadata.MetadataReader(blob, length);
        foreach (var heap in new[] { System.Reflection.Metadata.Ecma335.HeapIndex.String, System.Reflection.Metadata.Ecma335.HeapIndex.UserString,
                     System.Reflection.Metadata.Ecma335.HeapIndex.Blob })
        {
            var offset = System.Reflection.Metadata.Ecma335.MetadataReaderExtensions.GetHeapMetadataOffset(reader, heap);
            hash.AppendData(new ReadOnlySpan<byte>(blob + offset, System.Reflection.Metadata.Ecma335.MetadataReaderExtensions.GetHeapSize(reader, heap)));
        }

        const BindingFlags declared = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;
        foreach (var method in assembly.GetTypes().SelectMany(t => t.GetMethods(declared).Cast<MethodBase>().Concat(t.GetConstructors(declared))).OrderBy(m => m.MetadataToken))
        {
            hash.AppendData(BitConverter.GetBytes(method.MetadataToken));
            if (method.GetMethodBody()?.GetILAsByteArray() is { } il)
                hash.AppendData(il);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
