using Microsoft.Extensions.Options;

namespace Helpdesk.Web.Attachments;

public static class AttachmentsFeature
{
    public static void AddAttachments(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AttachmentOptions>().Bind(builder.Configuration.GetSection(AttachmentOptions.Section));
        builder.Services.AddSingleton<IAttachmentStore>(sp =>
        {
            var root = sp.GetRequiredService<IOptions<AttachmentOptions>>().Value.Root;
            return new LocalDiskAttachmentStore(Path.Combine(sp.GetRequiredService<IWebHostEnvironment>().ContentRootPath, root));
        });
        builder.Services.AddScoped<AttachmentService>();
    }

    public static void MapAttachments(this WebApplication app) => app.MapAttachmentsApi();
}
