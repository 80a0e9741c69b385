# The touchpoint register: the staff reminder of the publication deadline.

touchpoints-remind =
    The touchpoint register has changed. The updated register must be published on the website within { $days } working days of the change.

    { $changes }

    To publish: priemnaya touchpoints export --publish --out <site folder>
touchpoints-remind-overdue = • Overdue (it was due { $due }): { $change }
touchpoints-remind-today = • Today is the last day: { $change }
touchpoints-remind-due = • Publish by { $due }: { $change }
touchpoints-remind-broken =
    Could not check whether the touchpoint register has changed: its files have errors.

    { $problems }

    To check the files: priemnaya touchpoints check <folder>
