//! Letters about webhooks.

letter!(
    /// A subscription kept failing and is paused: to the owning client's contact address and the
    /// managers of its municipality. Names the subscription and its callback, nothing else.
    WebhookSubscriptionPaused, "letters/webhook_subscription_paused.txt",
    "Webhook gepauzeerd / Webhook paused", {
        subscription_id: &'a str,
        /// The municipality's CBS code.
        municipality: &'a str,
        callback_url: &'a str,
        /// Dead-lettered deliveries in a row.
        dead_letters: i32,
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_paused_notice_names_the_subscription_and_how_to_resume_in_both_languages() {
        let l = WebhookSubscriptionPaused {
            subscription_id: "0190-abc",
            municipality: "GM0599",
            callback_url: "https://portal.example.nl/hooks",
            dead_letters: 5,
        }
        .letter()
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(l.subject, "Webhook gepauzeerd / Webhook paused");
        assert!(l.body.contains("is gepauzeerd: 5 leveringen"));
        assert!(l.body.contains("has been paused: 5 deliveries in a row"));
        assert!(l.body.contains("POST /v1/webhook-subscriptions/0190-abc/resume"));
        assert!(l.body.contains("https://portal.example.nl/hooks"));
    }
}
