-- Organization structure: officers and terms, business-unit attachments.
SELECT 1;
