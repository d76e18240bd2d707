FROM python:3.11@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
RUN pip install flask requests==2.32.3
RUN pip3 install --no-cache-dir gunicorn==22.0.0
RUN sudo apt install -y jq
MAINTAINER ops@example.com
RUN useradd -m py
USER py
HEALTHCHECK CMD ["python", "-c", "print(1)"]
CMD ["flask", "run"]
