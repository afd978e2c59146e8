using Mono.Cecil;

namespace QcdcCompliance.Tests.Architecture;

/// <summary>
/// The engine's folders show its flow (Import → Evaluation → Findings → Alerts, with Runs orchestrating and Jobs,
/// Reports, Storage and Audit beside): each top folder (its namespace and those under it) may use those before it,
/// never one that uses it back. Read from the compiled assemblies, so every kind of use counts: signatures, bases,
/// attributes and the IL of every method.
/// </summary>
public sealed class NamespaceDependencyTests
{
    [Theory]
    [InlineData("QcdcCompliance.Engine", "QcdcCompliance")]
    [InlineData("QcdcCompliance.Rules", "QcdcCompliance.Rules")]
    [InlineData("qcdc", "QcdcCompliance.Host")]
    public void The_folders_of_an_assembly_depend_on_each_other_one_way_only(string assemblyName, string root)
    {
        var graph = NamespaceGraph.Of(Path.Combine(AppContext.BaseDirectory, assemblyName + ".dll"), root);

        var cycles = graph.Cycles();

        cycles.Should().BeEmpty("a namespace that uses one which uses it back hides the flow: {0}",
            string.Join("; ", cycles.Select(c => string.Join(" -> ", c) + " (" + graph.Why(c[0], c[1]) + ")")));
    }

    [Fact]
    public void The_engine_does_not_reference_AspNetCore()
    {
        using var module = ModuleDefinition.ReadModule(Path.Combine(AppContext.BaseDirectory, "QcdcCompliance.Engine.dll"));

        module.AssemblyReferences.Select(r => r.Name).Should().NotContain(n => n.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    [Fact]
    public void A_cycle_between_two_namespaces_is_found()
    {
        var graph = new NamespaceGraph();
        graph.Add("A", "B", "A.X uses B.Y");
        graph.Add("B", "C", "B.Y uses C.Z");
        graph.Add("C", "A", "C.Z uses A.X");
        graph.Add("C", "D", "C.Z uses D.W");

        graph.Cycles().Should().ContainSingle().Which.Should().Equal("A", "B", "C", "A");
    }
}

/// <summary>Which namespace of an assembly uses which other namespace of the same assembly, with one example each.</summary>
internal sealed class NamespaceGraph
{
    private readonly Dictionary<string, Dictionary<string, string>> _edges = new(StringComparer.Ordinal);

    public void Add(string from, string to, string why)
    {
        if (from == to)
            return;
        if (!_edges.TryGetValue(from, out var targets))
            _edges[from] = targets = new(StringComparer.Ordinal);
        targets.TryAdd(to, why);
    }

    public string Why(string from, string to) => _edges[from][to];

    /// <summary>The graph of the folders right under <paramref name="root"/>: a namespace counts as the folder it sits in.</summary>
    public static NamespaceGraph Of(string assemblyPath, string root)
    {
        using var module = ModuleDefinition.ReadModule(assemblyPath);
        var graph = new NamespaceGraph();
        foreach (var type in module.GetTypes())
        {
            var from = FolderOf(type, root);
            if (string.IsNullOrEmpty(from) || from.StartsWith('<') || from == "Microsoft.CodeAnalysis" || from == "System.Runtime.CompilerServices")
                continue;
            foreach (var used in Uses(type))
            {
                if (used.Module == module && FolderOf(used, root) is { Length: > 0 } to)
                    graph.Add(from, to, $"{type.FullName} uses {used.FullName}");
            }
        }

        return graph;
    }

    /// <summary>Every elementary cycle through the graph's namespaces, each once, starting from its least name.</summary>
    public List<List<string>> Cycles()
    {
        var cycles = new List<List<string>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var start in _edges.Keys.Order(StringComparer.Ordinal))
        {
            Walk(start, [start]);
            seen.Add(start);
        }

        return cycles;

        void Walk(string at, List<string> path)
        {
            foreach (var next in _edges.GetValueOrDefault(at)?.Keys.Order(StringComparer.Ordinal) ?? Enumerable.Empty<string>())
            {
                if (next == path[0])
                    cycles.Add([.. path, next]);
                else if (!seen.Contains(next) && !path.Contains(next) && string.CompareOrdinal(next, path[0]) > 0)
                    Walk(next, [.. path, next]);
            }
        }
    }

    private static string FolderOf(TypeReference type, string root)
    {
        while (type.DeclaringType is not null)
            type = type.DeclaringType;
        var name = type.Namespace;
        if (!name.StartsWith(root + ".", StringComparison.Ordinal))
            return name;
        var next = name.IndexOf('.', root.Length + 1);
        return next < 0 ? name : name[..next];
    }

    private static IEnumerable<TypeReference> Uses(TypeDefinition type)
    {
        var found = new List<TypeReference>();
        void Add(TypeReference? t)
        {
            switch (t)
            {
                case null:
                    return;
                case GenericInstanceType g:
                    Add(g.ElementType);
                    foreach (var a in g.GenericArguments)
                        Add(a);
                    return;
                case TypeSpecification s:
                    Add(s.ElementType);
                    return;
                case GenericParameter:
                    return;
                default:
                    found.Add(t);
                    return;
            }
        }

        void AddMember(MemberReference? m)
        {
            switch (m)
            {
                case TypeReference t:
                    Add(t);
                    break;
                case MethodReference method:
                    Add(method.DeclaringType);
                    Add(method.ReturnType);
                    foreach (var p in method.Parameters)
                        Add(p.ParameterType);
                    if (method is GenericInstanceMethod gm)
                        foreach (var a in gm.GenericArguments)
                            Add(a);
                    break;
                case FieldReference field:
                    Add(field.DeclaringType);
                    Add(field.FieldType);
                    break;
            }
        }

        Add(type.BaseType);
        foreach (var i in type.Interfaces)
            Add(i.InterfaceType);
        foreach (var a in type.CustomAttributes)
            Add(a.AttributeType);
        foreach (var f in type.Fields)
            Add(f.FieldType);
        foreach (var p in type.Properties)
            Add(p.PropertyType);
        foreach (var method in type.Methods)
        {
            AddMember(method);
            foreach (var a in method.CustomAttributes)
                Add(a.AttributeType);
            if (!method.HasBody)
                continue;
            foreach (var v in method.Body.Variables)
                Add(v.VariableType);
            foreach (var instruction in method.Body.Instructions)
            {
                if (instruction.Operand is MemberReference member)
                    AddMember(member);
            }
        }

        return found;
    }
}
