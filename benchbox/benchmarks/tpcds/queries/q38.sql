-- TPC-DS Q38 (Appendix B.38): how many customers (by name) bought on the same day in all three channels
-- within a twelve-month period.
-- @param DMS 1200 ~ uniform(1176, 1224)
select count(*) as customer_days
from (
    select distinct c_last_name, c_first_name, d_date
    from store_sales, date_dim, customer
    where ss_sold_date_sk = d_date_sk
      and ss_customer_sk = c_customer_sk
      and d_month_seq between ${DMS} and ${DMS} + 11
    intersect
    select distinct c_last_name, c_first_name, d_date
    from catalog_sales, date_dim, customer
    where cs_sold_date_sk = d_date_sk
      and cs_bill_customer_sk = c_customer_sk
      and d_month_seq between ${DMS} and ${DMS} + 11
    intersect
    select distinct c_last_name, c_first_name, d_date
    from web_sales, date_dim, customer
    where ws_sold_date_sk = d_date_sk
      and ws_bill_customer_sk = c_customer_sk
      and d_month_seq between ${DMS} and ${DMS} + 11
) all_channels
limit 100
