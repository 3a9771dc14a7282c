"""Board pages and endpoints: the posting page (`postings`), the needs-attention list (`attention`) and the
receiver boards send events to (`webhooks`)."""
