DROP TABLE kb_attachments;
DROP TABLE kb_ticket_articles;
DROP TABLE kb_views;
DROP TABLE kb_votes;
DROP TABLE kb_article_versions;
DROP TABLE kb_articles;
