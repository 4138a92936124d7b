# A quote selector without prefix and suffix.
# exercises: ekgsh:SourceDocument-quoteContext ekgsh:QuoteSelector-prefix ekgsh:QuoteSelector-suffix
DELETE { ?q oa:prefix ?p ; oa:suffix ?s } WHERE { ?q oa:exact "in Geneva on 1-2 March" ; oa:prefix ?p ; oa:suffix ?s }
