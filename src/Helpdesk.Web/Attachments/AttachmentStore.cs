namespace Helpdesk.Web.Attachments;

/// <summary>Where attachment bytes live. Local disk by default; a shared store (object storage) for several nodes.</summary>
public interface IAttachmentStore
{
    Task SaveAsync(string key, Stream content, CancellationToken ct);
    Task<Stream?> OpenAsync(string key, CancellationToken ct);
}

/// <summary>Bound from "Attachments".</summary>
public sealed class AttachmentOptions
{
    public const string Section = "Attachments";
    /// <summary>Folder for the local-disk store, relative to the content root.</summary>
    public string Root { get; set; } = "data/attachments";
}

public sealed class LocalDiskAttachmentStore(string root) : IAttachmentStore
{
    public async Task SaveAsync(string key, Stream content, CancellationToken ct)
    {
        var path = PathFor(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Written under a temporary name and moved, so a reader never sees half a file.
        var temp = path + ".part";
        await using (var file = File.Create(temp))
            await content.CopyToAsync(file, ct);
        File.Move(temp, path, overwrite: true);
    }

    public Task<Stream?> OpenAsync(string key, CancellationToken ct)
    {
        var path = PathFor(key);
        return Task.FromResult<Stream?>(File.Exists(path) ? File.OpenRead(path) : null);
    }

    private string PathFor(string key)
    {
        // Keys are ours (yyyy/MM/guid), but a store must never follow one out of its root.
        var full = Path.GetFullPath(Path.Combine(root, key));
        if (!full.StartsWith(Path.GetFullPath(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException("Invalid attachment key.", nameof(key));
        return full;
    }
}
