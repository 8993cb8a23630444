"""Tables of the job machinery: where each periodic job stopped scanning."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from badgeforge.db import Base, UTCDateTime


class JobCursor(Base):
    """How far a periodic scan has looked (for example, awards expired up to ``position``).

    Scans lock their row while they run, so two workers never scan the same span twice.
    """

    __tablename__ = "job_cursor"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    position: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
