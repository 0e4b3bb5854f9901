-- TPC-DS Q87 (Appendix B.87): how many (customer name, day) pairs of a year had a store purchase but
-- no catalog and no web purchase by the same customer name on the same day.
-- @param DMS 1200 ~ uniform(1176, 1224)
with store_only as (
    select distinct c_last_name, c_first_name, d_date
    from store_sales, date_dim, customer
    where ss_sold_date_sk = d_date_sk
      and ss_customer_sk = c_customer_sk
      and d_month_seq between ${DMS} and ${DMS} + 11
    except
    select distinct c_last_name, c_first_name, d_date
    from catalog_sales, date_dim, customer
    where cs_sold_date_sk = d_date_sk
      and cs_bill_customer_sk = c_customer_sk
      and d_month_seq between ${DMS} and ${DMS} + 11
    except
    select distinct c_last_name, c_first_name, d_date
    from web_sales, date_dim, customer
    where ws_sold_date_sk = d_date_sk
      and ws_bill_customer_sk = c_customer_sk
      and d_month_seq between ${DMS} and ${DMS} + 11
)
select count(*) as store_only_count
from store_only
