using QcdcCompliance.Host.Settings;

namespace QcdcCompliance.Host.Cli;

/// <summary>
/// The files and folders named on the command line, checked before the verb's work (a report takes seconds to make):
/// a folder where a file is expected, a folder that does not exist, one that cannot be written in. Each is refused
/// saying which, and nothing is written.
/// </summary>
public static class CliFiles
{
    /// <summary>A file a verb reads: it must exist and be a file.</summary>
    public static string Input(FileInfo file, string option = "")
    {
        var named = option.Length > 0 ? $"{option} {file.FullName}" : file.FullName;
        if (Directory.Exists(file.FullName))
            throw new CliException($"{named} is a folder; give the file");
        if (!file.Exists)
            throw new CliException($"{named} does not exist; check the path");
        return file.FullName;
    }

    /// <summary>A file a verb writes (replacing it if it is there): its full path, once its folder is known to take it.</summary>
    public static string Output(string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            throw new CliException($"--out {full} is a folder; give the file to write (e.g. {Path.Combine(full, "…")})");
        var folder = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder))
            throw new CliException($"cannot write {full}: the folder {folder} does not exist; create it or choose another --out");
        try
        {
            // A file of our own, gone when closed: the folder takes files, and the one asked for is not touched yet.
            using var probe = new FileStream(Path.Combine(folder, $".qcdc-{Guid.NewGuid():N}.tmp"), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1,
                FileOptions.DeleteOnClose);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot write {full}: the folder {folder} does not take new files (no permission, or a read-only or system folder); choose another --out");
        }

        return full;
    }

    /// <summary>Writes a file checked by <see cref="Output"/>; a failure still possible (the file itself read-only, a full disk) in a line.</summary>
    public static async Task WriteAsync(string path, Func<Stream, Task> write)
    {
        try
        {
            await using var file = File.Create(path);
            await write(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot write {path}: {e.Message}");
        }
    }

    /// <summary>A folder a verb writes files into (created if missing): it must not be a file.</summary>
    public static string OutputFolder(DirectoryInfo folder)
    {
        if (File.Exists(folder.FullName))
            throw new CliException($"--out {folder.FullName} is a file; give a folder (it is created if it does not exist)");
        return folder.FullName;
    }
}
