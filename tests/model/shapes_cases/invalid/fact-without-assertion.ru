# A name stated with no assertion and no evidence.
# expect: ekgsh:WholeGraph-factEvidence
# message: has no evidence
# severity: Violation
INSERT DATA { <org/example-ecr> schema:alternateName "ECR"@en }
