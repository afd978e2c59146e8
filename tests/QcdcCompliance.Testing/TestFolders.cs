namespace QcdcCompliance.Tests.Infrastructure;

/// <summary>A temporary folder for the whole test run.</summary>
public static class TestFolders
{
    public static string Root { get; } = CreateRoot();

    public static string NewFolder(string name)
    {
        var path = Path.Combine(Root, $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    private static string CreateRoot()
    {
        var root = Path.Combine(Path.GetTempPath(), $"qcdc-tests-{Environment.ProcessId}");
        Directory.CreateDirectory(root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        };
        return root;
    }
}
