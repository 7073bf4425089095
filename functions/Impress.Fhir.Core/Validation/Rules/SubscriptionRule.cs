using Hl7.Fhir.Model;
using Impress.Fhir.Subscriptions;

namespace Impress.Fhir.Validation.Rules;

/// <summary>
/// A Subscription the server can serve: one of its topics with known filters (a careplan-update one scoped to a
/// region or hospital), a rest-hook channel to an https endpoint (http only on loopback), well-formed headers and
/// payload content. A client asks for <c>requested</c> (or <c>off</c>): the server sets <c>active</c> after the
/// handshake, and <c>error</c>.
/// </summary>
public sealed class SubscriptionRule : IValidationRule
{
    public string Id => "subscription";

    public void Check(ValidationTarget target, ICollection<ValidationIssue> issues)
    {
        foreach (var entry in target.EntriesOf<Subscription>())
        {
            var subscription = (Subscription)entry.Resource;
            var problems = new List<SubscriptionProblem>();
            TopicSubscriptions.Read(subscription, problems);
            foreach (var problem in problems)
            {
                issues.Add(this.Error(entry, problem.Element, problem.Message, OperationOutcome.IssueType.Value));
            }

            if (subscription.Status is Subscription.SubscriptionStatus.Active or Subscription.SubscriptionStatus.Error)
            {
                issues.Add(this.Error(entry, "status", $"The status {subscription.Status.Value.ToString().ToLowerInvariant()} is the server's to set: send requested to activate the subscription (the server does the handshake), or off to stop it.", OperationOutcome.IssueType.BusinessRule));
            }
        }
    }
}
