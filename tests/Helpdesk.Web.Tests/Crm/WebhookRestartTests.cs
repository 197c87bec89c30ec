using Helpdesk.Core.Crm;
using Helpdesk.Web.Crm;
using Helpdesk.Web.Tests.Fixtures;

namespace Helpdesk.Web.Tests.Crm;

/// <summary>
/// The outbox across restarts. Delivery is at-least-once with a stable X-Helpdesk-Delivery id:
/// a receiver dedupes on it.
/// </summary>
public sealed class WebhookRestartTests
{
    private static HelpdeskServer Server(string? folder = null) => folder is null
        ? new HelpdeskServer { KeepFolder = true, Settings = { "Jobs:SchedulePollingInterval=00:00:01", "Crm:RetryFirstDelay=01:00:00", "Crm:SendTimeout=00:00:30", "Crm:SendLease=00:02:00" } }
        : new HelpdeskServer { Folder = folder, Settings = { "Jobs:SchedulePollingInterval=00:00:01", "Crm:RetryFirstDelay=01:00:00", "Crm:SendTimeout=00:00:30", "Crm:SendLease=00:02:00" } };

    [Fact]
    public async Task Receiver_down_then_app_restarted_then_receiver_up_the_event_arrives_once_with_its_delivery_id()
    {
        await using var receiver = new CrmReceiver();
        await receiver.StartAsync();
        var port = receiver.Port;
        await receiver.StopAsync(); // the CRM is down

        var first = Server();
        string folder;
        int subscription;
        Guid deliveryId;
        string subject = TicketsClient.UniqueWord("restart");
        try
        {
            await first.InitializeAsync();
            folder = first.Folder;
            subscription = await first.SubscribeAsync(receiver, WebhookEvents.TicketCreated);
            var agent = await first.StaffAsync(Demo.Agent1);
            await agent.NewTicketAsync(subject);
            // The first try fails (connection refused) and the next is an hour away.
            var failed = await CrmClient.EventuallyAsync(async () =>
                (await first.DeliveriesAsync(subscription)).SingleOrDefault(d => d.Attempts == 1 && d.Status == WebhookDeliveryStatus.Pending && d.LastError is not null),
                "the first failed try in the delivery log");
            deliveryId = failed.Id;
            failed.NextAttemptAt.Should().BeAfter(failed.LastAttemptAt!.Value.AddMinutes(59));
        }
        finally
        {
            await first.StopAsync(); // the in-memory job store, with the scheduled retry, is gone
        }

        await receiver.StartAsync(port); // the CRM is back
        await using var second = Server(folder); // it deletes the folder when done
        await second.InitializeAsync();
        var hook = await receiver.WaitForAsync(r => r.Event == "ticket.created" && r.Body.Contains(subject), "the event after the restart");
        hook.DeliveryId.Should().Be(deliveryId.ToString());
        hook.SignatureValid.Should().BeTrue();
        var row = await CrmClient.EventuallyAsync(async () =>
            (await second.DeliveriesAsync(subscription)).SingleOrDefault(d => d.Id == deliveryId && d.Status == WebhookDeliveryStatus.Delivered), "the log to say delivered");
        row.Attempts.Should().Be(2);
        receiver.Received.Count(r => r.DeliveryId == deliveryId.ToString()).Should().Be(1);
    }

    [Fact]
    public async Task App_stopped_in_the_middle_of_a_send_sends_it_again_after_restart_with_the_same_delivery_id()
    {
        await using var receiver = new CrmReceiver { Hang = true };
        await receiver.StartAsync();
        var first = Server();
        string folder;
        int subscription;
        var subject = TicketsClient.UniqueWord("midsend");
        try
        {
            await first.InitializeAsync();
            folder = first.Folder;
            subscription = await first.SubscribeAsync(receiver, WebhookEvents.TicketCreated);
            var agent = await first.StaffAsync(Demo.Agent1);
            await agent.NewTicketAsync(subject);
            await CrmClient.EventuallyAsync(async () =>
                (await first.DeliveriesAsync(subscription)).SingleOrDefault(d => d.Status == WebhookDeliveryStatus.Sending), "the try to be under way");
            while (receiver.Requests == 0) await Task.Delay(20);
        }
        finally
        {
            await first.StopAsync(); // mid-send: the row stays Sending under its lease
        }

        receiver.Hang = false;
        await using var second = Server(folder);
        await second.InitializeAsync();
        var stuck = (await second.DeliveriesAsync(subscription)).Single();
        stuck.Status.Should().Be(WebhookDeliveryStatus.Sending, "a start-up does not take over a try another node may still be making");
        // Once the lease has run out the sweep takes it over.
        second.Clock.Advance(TimeSpan.FromMinutes(3));
        var hook = await receiver.WaitForAsync(r => r.Body.Contains(subject), "the event after the lease ran out");
        hook.DeliveryId.Should().Be(stuck.Id.ToString());
        hook.SignatureValid.Should().BeTrue();
        var row = await CrmClient.EventuallyAsync(async () =>
            (await second.DeliveriesAsync(subscription)).SingleOrDefault(d => d.Status == WebhookDeliveryStatus.Delivered), "the log to say delivered");
        row.Attempts.Should().Be(2);
    }
}
