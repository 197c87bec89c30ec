using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Helpdesk.Web.Chat;

/// <summary>
/// The JSON hub protocol, except that an error SignalR writes itself (arguments that do not bind
/// to the method, a method that does not exist) carries a code like the hubs' own errors:
/// "... HubException: [invalid_call] ...". The hubs never see such a call, so no filter could;
/// the clients read every refusal the same way.
/// </summary>
public sealed class CodedHubErrorsProtocol(IHubProtocol inner) : IHubProtocol
{
    public string Name => inner.Name;
    public int Version => inner.Version;
    public TransferFormat TransferFormat => inner.TransferFormat;
    public bool IsVersionSupported(int version) => inner.IsVersionSupported(version);

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message) =>
        inner.TryParseMessage(ref input, binder, out message);

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => inner.WriteMessage(Coded(message), output);

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => inner.GetMessageBytes(Coded(message));

    private const string NoSuchMethod = "HubException: Method does not exist.";

    private static HubMessage Coded(HubMessage message)
    {
        if (message is not CompletionMessage { Error: { } error, InvocationId: { } id } || error.Contains("HubException: [", StringComparison.Ordinal))
            return message;
        var coded = error.Contains(NoSuchMethod, StringComparison.Ordinal)
            ? error.Replace(NoSuchMethod, "HubException: [invalid_call] There is no such method.")
            : error.TrimEnd() + " HubException: [invalid_call] The arguments do not match what the method takes (their number or types).";
        return CompletionMessage.WithError(id, coded);
    }

    /// <summary>Wraps the JSON protocol that AddSignalR registered.</summary>
    public static void Register(IServiceCollection services)
    {
        var json = services.Single(d => d.ServiceType == typeof(IHubProtocol) && d.ImplementationType == typeof(JsonHubProtocol));
        services.Remove(json);
        services.AddSingleton<IHubProtocol>(sp => new CodedHubErrorsProtocol(ActivatorUtilities.CreateInstance<JsonHubProtocol>(sp)));
    }
}
