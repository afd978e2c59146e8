using System.Reflection;
using System.Reflection.PortableExecutable;
using System.Runtime.Loader;
using System.Text;
using QcdcCompliance.Evaluation;
using QcdcCompliance.Rules;
using QcdcCompliance.Tests.Infrastructure;

namespace QcdcCompliance.Tests.Rules;

/// <summary>
/// A run's rule-set version names the rules, not the build: the same rules built in another folder (another PDB path
/// in the assembly) or published ReadyToRun (other bytes around the same metadata and IL) are the same version, so that
/// a program built elsewhere does not write every open finding again as changed. A rule that changes is a new version.
/// </summary>
public sealed class RuleSetVersionTests
{
    [Fact]
    public void The_rules_built_elsewhere_are_the_same_version_and_a_changed_literal_is_another()
    {
        var original = File.ReadAllBytes(QcdcRules.Assembly.Location);
        var expected = new TargetRuleCatalogue(QcdcRules.Assembly).AssemblyHash;

        // The PDB's path as another build folder writes it (same length, so that nothing else moves).
        var elsewhere = (byte[])original.Clone();
        var pdb = PdbPath(original);
        var at = elsewhere.AsSpan().IndexOf(Encoding.UTF8.GetBytes(pdb));
        at.Should().BeGreaterThan(0, "the assembly names its PDB");
        elsewhere[at + 1] = (byte)(elsewhere[at + 1] == (byte)'x' ? 'y' : 'x');
        PdbPath(elsewhere).Should().NotBe(pdb);

        // A rule's name (a literal of the metadata) changed by one letter.
        var changed = (byte[])original.Clone();
        var name = Encoding.UTF8.GetBytes("L10-WORKPLACE-DIALOGUE");
        var literal = changed.AsSpan().IndexOf(name);
        literal.Should().BeGreaterThan(0, "the rule's name is in the assembly");
        changed[literal + name.Length - 1] = (byte)'X';

        HashIn(elsewhere).Should().Be(expected, "only the build folder differs");
        HashIn(changed).Should().NotBe(expected, "a rule changed");
    }

    private static string PdbPath(byte[] assembly)
    {
        using var pe = new PEReader(new MemoryStream(assembly));
        return pe.ReadDebugDirectory().Where(d => d.Type == DebugDirectoryEntryType.CodeView).Select(d => pe.ReadCodeViewDebugDirectoryData(d).Path).Single();
    }

    /// <summary>The catalogue's hash of an assembly loaded from these bytes, in a context of its own (its references from the default one).</summary>
    private static string HashIn(byte[] assembly)
    {
        var context = new AssemblyLoadContext("rules-" + Guid.NewGuid().ToString("N"), isCollectible: true);
        try
        {
            var file = Path.Combine(TestFolders.NewFolder("rule-set-version"), "QcdcCompliance.Rules.dll");
            File.WriteAllBytes(file, assembly);
            Assembly loaded = context.LoadFromAssemblyPath(file);
            return new TargetRuleCatalogue(loaded).AssemblyHash;
        }
        finally
        {
            context.Unload();
        }
    }
}
