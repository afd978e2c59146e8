using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Design.Internal;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Scaffolding;
using Microsoft.Extensions.DependencyInjection;
using QcdcCompliance.Host.Storage;
using QcdcCompliance.Storage;

namespace QcdcCompliance.Tests.Storage;

/// <summary>
/// The compiled models the contexts run with (<c>Storage/CompiledModels</c>, <see cref="StorageRegistration.UseQcdcStorage"/>)
/// are exactly what EF generates from today's mapping: any change to <see cref="QcdcDbContext"/>'s mapping or to an
/// entity fails here until <c>scripts/compiled-models.sh</c> is run.
/// </summary>
public sealed partial class CompiledModelTests
{
    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.SqlServer)]
    [InlineData(StorageProvider.Postgres)]
    public void Each_providers_compiled_model_is_generated_from_the_mapping_of_today(StorageProvider provider)
    {
        using var db = new DesignTimeDbContextFactory().CreateDbContext(["--provider", provider.ToString()]);
        var committed = Path.Combine(RepositoryRoot(), "engine", "QcdcCompliance.Engine", "Storage", "CompiledModels", provider.ToString());
        var generated = Directory.CreateTempSubdirectory("qcdc-compiled-model-").FullName;
        try
        {
            Scaffold(db, provider, generated);

            var expected = Files(generated);
            Files(committed).Keys.Should().BeEquivalentTo(expected.Keys, $"the {provider} compiled model must be regenerated (scripts/compiled-models.sh)");
            foreach (var (name, text) in Files(committed))
                text.Should().Be(expected[name], $"{name} of the {provider} compiled model must be regenerated (scripts/compiled-models.sh)");
        }
        finally
        {
            Directory.Delete(generated, recursive: true);
        }
    }

    [Theory]
    [InlineData(StorageProvider.Sqlite)]
    [InlineData(StorageProvider.SqlServer)]
    [InlineData(StorageProvider.Postgres)]
    public void Every_context_runs_with_its_providers_compiled_model(StorageProvider provider)
    {
        using var db = new DesignTimeDbContextFactory().CreateDbContext(["--provider", provider.ToString()]);

        db.Model.GetType().Namespace.Should().Be($"QcdcCompliance.Storage.CompiledModels.{provider}");
        db.Model.FindEntityType(typeof(Domain.DataValue))!.FindPrimaryKey()!.Properties.Select(p => p.Name).Should().Equal("PeriodId", "UnitId", "IndicatorId");
    }

    /// <summary>What <c>dotnet ef dbcontext optimize</c> writes for the provider, the assembly attribute left out (the contexts are given their model).</summary>
    private static void Scaffold(QcdcDbContext db, StorageProvider provider, string folder)
    {
#pragma warning disable EF1001 // The design-time services as dotnet ef builds them.
        var services = new DesignTimeServicesBuilder(typeof(QcdcDbContext).Assembly, typeof(DesignTimeDbContextFactory).Assembly, new OperationReporter(null), [])
            .Build(db);
#pragma warning restore EF1001
        var model = db.GetService<IDesignTimeModel>().Model;
        services.GetRequiredService<ICompiledModelScaffolder>().ScaffoldModel(model, folder, new CompiledModelCodeGenerationOptions
        {
            ContextType = typeof(QcdcDbContext),
            ModelNamespace = $"QcdcCompliance.Storage.CompiledModels.{provider}",
            Language = "C#",
            UseNullableReferenceTypes = true,
        });
        File.Delete(Path.Combine(folder, "QcdcDbContextAssemblyAttributes.cs"));
    }

    /// <summary>The generated files by name, the model's id left out (a new random one each time).</summary>
    private static Dictionary<string, string> Files(string folder) =>
        Directory.GetFiles(folder, "*.cs").ToDictionary(f => Path.GetFileName(f), f => ModelId().Replace(File.ReadAllText(f), "modelId: new Guid()"));

    [GeneratedRegex("""modelId: new Guid\("[0-9a-f-]+"\)""")]
    private static partial Regex ModelId();

    private static string RepositoryRoot([CallerFilePath] string source = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", "..", ".."));
}
