-- What a message is (a text, a pressed choice, a shared location, a photo, a phone call, …): a plain code that says
-- nothing about the person. Its content stays in body_enc, encrypted under the contact's data key: a text as
-- itself, every other kind as a JSON object of its fields (a location is personal data).
alter table message add column kind varchar(16)
    check (kind in ('TEXT', 'START', 'CHOICE', 'LOCATION', 'CONTACT', 'PHOTO', 'VOICE', 'CALL', 'VOICEMAIL',
                    'CALLBACK'));

-- We only ever sent text. What requesters sent before kinds carries marks in its encrypted text ("[choice] id"),
-- which SQL cannot read: those rows keep a null kind for now; each node converts them once after it starts
-- (MessageKindBackfill), and until then they are parsed when read (MessageContents.legacy).
update message set kind = 'TEXT' where direction = 'OUTBOUND';
